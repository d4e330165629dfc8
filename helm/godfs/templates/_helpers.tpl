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

{{/*
Masters: a StatefulSet whose pod <fullname>-master-<i> is the Raft member of that id, reached by the others
at its stable name <pod>.<fullname>-master.<namespace>.svc.cluster.local (the headless Service).
*/}}

{{/* Refuses values the masters cannot run with; call once from a template. */}}
{{- define "godfs.checkMasterValues" -}}
{{- if hasKey .Values "master" -}}
{{- fail "values: the master.* settings are now masters.* (masters.replicas, masters.grpcPort, ...); see the chart README" -}}
{{- end -}}
{{- $replicas := int .Values.masters.replicas -}}
{{- $initial := int (include "godfs.masterInitialMembers" .) -}}
{{- if lt $replicas 1 -}}
{{- fail "values: masters.replicas must be at least 1" -}}
{{- end -}}
{{- if eq (mod $initial 2) 0 -}}
{{- fail (printf "values: masters.initialMembers (or masters.replicas) is %d: a Raft group needs an odd number of masters (1, 3 or 5); an even number survives no more failures than one fewer" $initial) -}}
{{- end -}}
{{- if gt $initial $replicas -}}
{{- fail (printf "values: masters.initialMembers (%d) cannot exceed masters.replicas (%d)" $initial $replicas) -}}
{{- end -}}
{{- end -}}

{{/* How many of the first master pods form the group at install (their ids make up --peers). */}}
{{- define "godfs.masterInitialMembers" -}}
{{- if .Values.masters.initialMembers -}}
{{- int .Values.masters.initialMembers -}}
{{- else -}}
{{- int .Values.masters.replicas -}}
{{- end -}}
{{- end -}}

{{/* The stable DNS name of master pod i: (dict "root" $ "i" i). */}}
{{- define "godfs.masterHost" -}}
{{- $fullname := include "godfs.fullname" .root -}}
{{- printf "%s-master-%d.%s-master.%s.svc.cluster.local" $fullname (int .i) $fullname .root.Release.Namespace -}}
{{- end -}}

{{/* Every master's gRPC address, comma-separated: what chunkservers, gateways and clients take as --master. */}}
{{- define "godfs.masterAddrs" -}}
{{- $root := . -}}
{{- $addrs := list -}}
{{- range $i := until (int .Values.masters.replicas) -}}
{{- $addrs = append $addrs (printf "%s:%d" (include "godfs.masterHost" (dict "root" $root "i" $i)) (int $root.Values.masters.grpcPort)) -}}
{{- end -}}
{{- join "," $addrs -}}
{{- end -}}

{{/* The group's first members, <pod>=<address> each: every master's --peers (read only while its volume holds no Raft state). */}}
{{- define "godfs.masterPeers" -}}
{{- $root := . -}}
{{- $fullname := include "godfs.fullname" . -}}
{{- $peers := list -}}
{{- range $i := until (int (include "godfs.masterInitialMembers" .)) -}}
{{- $peers = append $peers (printf "%s-master-%d=%s:%d" $fullname $i (include "godfs.masterHost" (dict "root" $root "i" $i)) (int $root.Values.masters.grpcPort)) -}}
{{- end -}}
{{- join "," $peers -}}
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
