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
{{- $env = mergeOverwrite $env (fromYaml (include "op.transportEnv" .)) -}}
{{- $env = mergeOverwrite $env ($c.env | default dict) -}}
{{- toYaml $env -}}
{{- end -}}

{{/*
Which infrastructure a component connects to, for its transport settings and certificate mounts.
The order service and the worker talk to Temporal; the worker and notification to Kafka; every
service but the worker to PostgreSQL; notification to SMTP.
*/}}
{{- define "op.uses" -}}
{{- $uses := dict "order" (list "temporal" "postgres") "inventory" (list "postgres") "payment" (list "postgres") "notification" (list "kafka" "postgres" "smtp") "worker" (list "temporal" "kafka") -}}
{{- index $uses .name | default list | join "," -}}
{{- end -}}

{{/* Where a dependency's certificates are mounted (a Secret volume). */}}
{{- define "op.tlsDir" -}}/etc/order-platform/tls/{{ . }}{{- end -}}

{{/* Transport env of one component, from `transport` (values.yaml). */}}
{{- define "op.transportEnv" -}}
{{- $t := .root.Values.transport -}}
{{- $uses := splitList "," (include "op.uses" .) -}}
{{- $env := dict "ALLOW_PLAINTEXT" (join "," $t.allowPlaintext) -}}
{{- if has "temporal" $uses -}}
{{- $_ := set $env "TEMPORAL_TLS" (toString $t.temporal.tls) -}}
{{- with $t.temporal.serverName }}{{ $_ := set $env "TEMPORAL_TLS_SERVER_NAME" . }}{{ end -}}
{{- if and $t.temporal.certificatesSecret $t.temporal.caCert -}}
{{- $_ := set $env "TEMPORAL_TLS_CA_FILE" (printf "%s/ca.crt" (include "op.tlsDir" "temporal")) -}}
{{- end -}}
{{- if and $t.temporal.certificatesSecret $t.temporal.clientCert -}}
{{- $_ := set $env "TEMPORAL_TLS_CERT_FILE" (printf "%s/tls.crt" (include "op.tlsDir" "temporal")) -}}
{{- $_ := set $env "TEMPORAL_TLS_KEY_FILE" (printf "%s/tls.key" (include "op.tlsDir" "temporal")) -}}
{{- end -}}
{{- end -}}
{{- if has "kafka" $uses -}}
{{- $_ := set $env "KAFKA_TLS" (toString $t.kafka.tls) -}}
{{- with $t.kafka.saslMechanism }}{{ $_ := set $env "KAFKA_SASL_MECHANISM" . }}{{ end -}}
{{- if and $t.kafka.certificatesSecret $t.kafka.caCert -}}
{{- $_ := set $env "KAFKA_TLS_CA_FILE" (printf "%s/ca.crt" (include "op.tlsDir" "kafka")) -}}
{{- end -}}
{{- if and $t.kafka.certificatesSecret $t.kafka.clientCert -}}
{{- $_ := set $env "KAFKA_TLS_CERT_FILE" (printf "%s/tls.crt" (include "op.tlsDir" "kafka")) -}}
{{- $_ := set $env "KAFKA_TLS_KEY_FILE" (printf "%s/tls.key" (include "op.tlsDir" "kafka")) -}}
{{- end -}}
{{- end -}}
{{- if has "smtp" $uses -}}
{{- $_ := set $env "SMTP_SECURE" (toString $t.smtp.secure) -}}
{{- $_ := set $env "SMTP_REQUIRE_TLS" (toString $t.smtp.requireTLS) -}}
{{- if $t.smtp.caSecret -}}
{{- $_ := set $env "SMTP_TLS_CA_FILE" (printf "%s/ca.crt" (include "op.tlsDir" "smtp")) -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/* The certificate Secrets one component mounts: a list of (dependency, Secret name). */}}
{{- define "op.tlsSecrets" -}}
{{- $t := .root.Values.transport -}}
{{- $uses := splitList "," (include "op.uses" .) -}}
{{- $names := dict "temporal" $t.temporal.certificatesSecret "kafka" $t.kafka.certificatesSecret "postgres" $t.postgres.caSecret "smtp" $t.smtp.caSecret -}}
{{- $out := list -}}
{{- range $dep := list "temporal" "kafka" "postgres" "smtp" -}}
{{- if and (has $dep $uses) (index $names $dep) -}}
{{- $out = append $out (dict "dependency" $dep "secret" (index $names $dep)) -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "items" $out) -}}
{{- end -}}
