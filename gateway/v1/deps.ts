// What the /v1 route modules need from the server that mounts them.
import type { GatewayMetrics } from '../metrics.js';
import type { ObjectService } from '../service/object-service.js';

export interface V1Deps {
  service: ObjectService;
  metrics: GatewayMetrics;
  /** Cap on an upload body (PUT content, multipart part); larger → 413. */
  maxBodyBytes: number;
}
