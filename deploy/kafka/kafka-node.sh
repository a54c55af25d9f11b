#!/bin/bash
# One CountyLink Kafka node (KRaft broker + controller) in the apache/kafka image, secured as the test
# harness runs it (libs/testing/src/kafka-apache/kafka-node-config.ts; deploy/kafka-security.spec.ts
# checks that the two agree):
#   CLIENT     :9092  SASL_SSL, SCRAM-SHA-512 — every app, HIS and tool, each as its own principal
#   INTERNAL   :9094  SSL with a required client certificate — replication between the brokers
#   CONTROLLER :9093  SSL with a required client certificate — the KRaft quorum
# Only the brokers hold a certificate of the cluster's CA (CN=countylink-broker), so nothing else
# gets past the internal listeners, and nothing at all is anonymous. ACLs decide the rest
# (allow.everyone.if.no.acl.found=false): the kafka-acls job puts the access matrix in place.
# The first start formats the storage and creates a SCRAM user for each users/<user>.password
# (kafka-storage format --add-scram); users added later are created by the kafka-topics job.
set -euo pipefail
: "${KAFKA_NODE_ID:?}" "${CLUSTER_ID:?}" "${KAFKA_CONTROLLER_QUORUM_VOTERS:?}" "${KAFKA_ADVERTISED_HOST:?}"
users=/etc/countylink/kafka-users
config=/tmp/countylink-kafka.properties

cat > "$config" <<EOF
process.roles=broker,controller
node.id=${KAFKA_NODE_ID}
controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}
listeners=CLIENT://:9092,INTERNAL://:9094,CONTROLLER://:9093
advertised.listeners=CLIENT://${KAFKA_ADVERTISED_HOST}:9092,INTERNAL://${KAFKA_ADVERTISED_HOST}:9094
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL
ssl.keystore.type=PEM
ssl.keystore.location=/run/secrets/kafka-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=/run/secrets/kafka-ca.pem
listener.name.internal.ssl.client.auth=required
listener.name.controller.ssl.client.auth=required
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:CN=countylink-broker;User:countylink-admin
log.dirs=/var/lib/kafka/data
auto.create.topics.enable=false
unclean.leader.election.enable=false
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
EOF

scram=()
for file in "$users"/*.password; do
  [ -e "$file" ] || { echo "no SCRAM users in $users: run npm run kafka:secrets (see deploy/README.md)" >&2; exit 1; }
  scram+=(--add-scram "SCRAM-SHA-512=[name=$(basename "$file" .password),password=$(tr -d '\r\n' < "$file")]")
done
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$config" "${scram[@]}" >/dev/null

# The healthcheck's client: this broker's own certificate, on the INTERNAL listener.
cat > /tmp/countylink-healthcheck.properties <<EOF
security.protocol=SSL
ssl.keystore.type=PEM
ssl.keystore.location=/run/secrets/kafka-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=/run/secrets/kafka-ca.pem
EOF

exec /opt/kafka/bin/kafka-server-start.sh "$config"
