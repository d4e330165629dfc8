{{- define "godfs.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "godfs.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "godfs.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "godfs.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "godfs.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-api-key" (include "godfs.fullname" .)) -}}
{{- end -}}

{{/* The master's gRPC address as clients dial it. */}}
{{- define "godfs.masterAddr" -}}
{{ include "godfs.fullname" . }}-master-0.{{ include "godfs.fullname" . }}-master.{{ .Release.Namespace }}.svc.cluster.local:{{ .Values.master.grpcPort }}
{{- end -}}

{{- define "godfs.commonEnv" -}}
- name: GODFS_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "godfs.secretName" . }}
      key: api-key
- name: GODFS_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end -}}
