{{/* Name of the chart, overridable. */}}
{{- define "claw-mesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: release-chart, at most 63 characters. */}}
{{- define "claw-mesh.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "claw-mesh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "claw-mesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: claw-mesh
{{- end }}

{{/* Selector labels of one component (coordinator or agent); pass (dict "root" . "component" "coordinator"). */}}
{{- define "claw-mesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "claw-mesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The image of one app; pass (dict "root" . "app" "coordinator"). */}}
{{- define "claw-mesh.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.repository .app (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end }}

{{/* Secret with the operator and join tokens. */}}
{{- define "claw-mesh.tokenSecret" -}}
{{- default (printf "%s-tokens" (include "claw-mesh.fullname" .)) .Values.tokens.existingSecret }}
{{- end }}

{{/* Secret with the database password. */}}
{{- define "claw-mesh.databaseSecret" -}}
{{- default (printf "%s-database" (include "claw-mesh.fullname" .)) .Values.database.existingSecret }}
{{- end }}

{{/* The rules the values must follow beyond their types: fails the render with a clear message. */}}
{{- define "claw-mesh.validate" -}}
{{- if and (gt (int .Values.coordinator.replicas) 1) (not .Values.database.url) }}
{{- fail (printf "coordinator.replicas is %d, but more than one coordinator needs a shared PostgreSQL: set database.url (jdbc:postgresql://...) and database.password or database.existingSecret, or keep coordinator.replicas at 1 (embedded H2)" (int .Values.coordinator.replicas)) }}
{{- end }}
{{- if and .Values.database.url (not (hasPrefix "jdbc:postgresql:" .Values.database.url)) }}
{{- fail (printf "database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), got %q" .Values.database.url) }}
{{- end }}
{{- if and .Values.database.url (not .Values.database.password) (not .Values.database.existingSecret) }}
{{- fail "database.url is set: set database.password or database.existingSecret too" }}
{{- end }}
{{- if and .Values.tls.caKeySecret (not .Values.tls.existingSecret) }}
{{- fail "tls.caKeySecret is the key of tls.existingSecret's ca.crt: set tls.existingSecret too (without it the coordinator is its own CA)" }}
{{- end }}
{{- if and .Values.tls.existingSecret (not .Values.tls.enabled) }}
{{- fail "tls.existingSecret is set but tls.enabled is false: set tls.enabled=true to serve its certificate" }}
{{- end }}
{{- if include "claw-mesh.meshCa" . }}
{{- if or .Values.database.url (not .Values.coordinator.persistence.enabled) }}
{{- fail "tls.enabled without tls.existingSecret makes the coordinator its own CA, whose key lives on the coordinator's PersistentVolumeClaim; that needs embedded H2 (no database.url) with coordinator.persistence.enabled, or else own certificates in tls.existingSecret (a new volume would be a new CA that pinned agents refuse)" }}
{{- end }}
{{- if and .Values.agent.enabled (not .Values.agent.caFingerprint) }}
{{- fail "tls.enabled with the mesh CA and agent.enabled: set agent.caFingerprint (sha256:...) to the fingerprint the coordinator logs at start (install with agent.enabled=false first), or use own certificates in tls.existingSecret" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "true" when agents get node certificates and speak only mutual TLS: the mesh CA, or own certificates with
the CA's key (tls.caKeySecret); else empty. */}}
{{- define "claw-mesh.agentMutualTls" -}}
{{- if or (include "claw-mesh.meshCa" .) (and .Values.tls.enabled .Values.tls.existingSecret .Values.tls.caKeySecret) }}true{{ end }}
{{- end }}

{{/* "true" when the coordinator is its own CA (tls.enabled without own certificates), else empty. */}}
{{- define "claw-mesh.meshCa" -}}
{{- if and .Values.tls.enabled (not .Values.tls.existingSecret) }}true{{ end }}
{{- end }}

{{/* The coordinator's URL for agents: https with TLS. */}}
{{- define "claw-mesh.coordinatorUrl" -}}
{{- printf "%s://%s-coordinator:%v" (ternary "https" "http" .Values.tls.enabled) (include "claw-mesh.fullname" .) .Values.coordinator.port }}
{{- end }}
