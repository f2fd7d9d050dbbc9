{{/* Name of the release's objects. */}}
{{- define "reprise.fullname" -}}
{{- printf "%s-reprise" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Namespace of the trial Jobs. */}}
{{- define "reprise.trialNamespace" -}}
{{- default .Release.Namespace .Values.trials.namespace -}}
{{- end -}}

{{/* The orchestrator's ServiceAccount. */}}
{{- define "reprise.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "reprise.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "reprise.labels" -}}
app.kubernetes.io/name: reprise
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector of the orchestrator pod. */}}
{{- define "reprise.selectorLabels" -}}
app.kubernetes.io/name: reprise
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: orchestrator
{{- end -}}
