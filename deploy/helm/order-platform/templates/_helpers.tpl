{{/* Names and labels shared by every template. */}}
{{- define "op.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "op.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: (dict "root" $ "name" "order") */}}
{{- define "op.componentName" -}}
{{- printf "%s-%s" (include "op.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "op.selectorLabels" -}}
app.kubernetes.io/name: {{ include "op.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "op.labels" -}}
{{ include "op.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: order-platform
{{- end -}}

{{- define "op.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "op.fullname" .)) -}}
{{- end -}}

{{/* The port a component's probes use: its API port, or the metrics port of the worker (which has no API). */}}
{{- define "op.probePort" -}}
{{- if .port -}}http{{- else -}}metrics{{- end -}}
{{- end -}}

{{/* In-cluster URL of a component's HTTP port: (dict "root" $ "name" "inventory") */}}
{{- define "op.componentUrl" -}}
{{- $c := index .root.Values.components .name -}}
{{- printf "http://%s:%v" (include "op.componentName" .) $c.port -}}
{{- end -}}

{{/* Environment of one component: globals, then wiring to its neighbours, then its own. */}}
{{- define "op.componentEnv" -}}
{{- $c := index .root.Values.components .name -}}
{{- $env := deepCopy .root.Values.global.env -}}
{{- if $c.port -}}
{{- $_ := set $env "PORT" (toString $c.port) -}}
{{- end -}}
{{- $_ := set $env "METRICS_PORT" (toString $c.metricsPort) -}}
{{- if eq .name "order" -}}
{{- $_ := set $env "INVENTORY_SERVICE_URL" (include "op.componentUrl" (dict "root" .root "name" "inventory")) -}}
{{- $_ := set $env "NOTIFICATION_SERVICE_URL" (include "op.componentUrl" (dict "root" .root "name" "notification")) -}}
{{- end -}}
{{- if eq .name "worker" -}}
{{- $_ := set $env "ORDER_SERVICE_URL" (include "op.componentUrl" (dict "root" .root "name" "order")) -}}
{{- $_ := set $env "INVENTORY_SERVICE_URL" (include "op.componentUrl" (dict "root" .root "name" "inventory")) -}}
{{- $_ := set $env "PAYMENT_SERVICE_URL" (include "op.componentUrl" (dict "root" .root "name" "payment")) -}}
{{- end -}}
{{- $env = mergeOverwrite $env ($c.env | default dict) -}}
{{- toYaml $env -}}
{{- end -}}
