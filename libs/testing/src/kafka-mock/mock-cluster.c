/*
 * Test-only Kafka: hosts librdkafka's mock cluster (real Kafka protocol over TCP) in a
 * child process so Node tests can talk to it with kafkajs. Driven by MockKafkaCluster
 * (mock-kafka-cluster.ts).
 *
 * usage: mock-cluster [brokers] [topic:partitions ...]
 * stdout: "BOOTSTRAP host:port,..." once, then "OK" / "ERR <message>" per command.
 * stdin commands: "down <id>", "up <id>", "topic <name> <partitions>", "quit".
 * Exits when stdin closes, so the cluster never outlives the Node process that owns it.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rd_kafka_mock_cluster_t *mcluster;

static void reply(rd_kafka_resp_err_t err) {
        if (err)
                printf("ERR %s\n", rd_kafka_err2str(err));
        else
                printf("OK\n");
        fflush(stdout);
}

/* Replication factor 1: the mock keeps no real replicas, and 1 keeps a single broker
 * enough for any topic. Auto-created topics use the mock's own defaults instead. */
static rd_kafka_resp_err_t create_topic(const char *name, const char *partitions) {
        int cnt = atoi(partitions);
        if (!*name || cnt < 1)
                return RD_KAFKA_RESP_ERR__INVALID_ARG;
        return rd_kafka_mock_topic_create(mcluster, name, cnt, 1);
}

/* The hosting producer has no bootstrap servers and never connects anywhere; silence
 * its "no bootstrap.servers" chatter so stderr only carries real problems. */
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        if (level <= 3)
                fprintf(stderr, "mock-cluster %s: %s\n", fac, buf);
}

static int run_command(char *line) {
        char *cmd = strtok(line, " \t\r\n");
        char *arg1 = strtok(NULL, " \t\r\n");
        char *arg2 = strtok(NULL, " \t\r\n");

        if (!cmd)
                return 1;
        if (!strcmp(cmd, "quit"))
                return 0;
        if (!strcmp(cmd, "down") && arg1)
                reply(rd_kafka_mock_broker_set_down(mcluster, atoi(arg1)));
        else if (!strcmp(cmd, "up") && arg1)
                reply(rd_kafka_mock_broker_set_up(mcluster, atoi(arg1)));
        else if (!strcmp(cmd, "topic") && arg1 && arg2)
                reply(create_topic(arg1, arg2));
        else {
                printf("ERR unknown command: %s\n", cmd);
                fflush(stdout);
        }
        return 1;
}

int main(int argc, char **argv) {
        char errstr[512];
        char line[1024];
        int brokers = argc > 1 ? atoi(argv[1]) : 1;
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        int i;

        if (brokers < 1)
                brokers = 1;
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-cluster: rd_kafka_new: %s\n", errstr);
                return 1;
        }
        mcluster = rd_kafka_mock_cluster_new(rk, brokers);
        if (!mcluster) {
                fprintf(stderr, "mock-cluster: rd_kafka_mock_cluster_new failed\n");
                return 1;
        }

        for (i = 2; i < argc; i++) {
                char *sep = strrchr(argv[i], ':');
                rd_kafka_resp_err_t err;
                if (!sep) {
                        fprintf(stderr, "mock-cluster: expected name:partitions, got %s\n", argv[i]);
                        return 2;
                }
                *sep = '\0';
                if ((err = create_topic(argv[i], sep + 1))) {
                        fprintf(stderr, "mock-cluster: topic %s: %s\n", argv[i], rd_kafka_err2str(err));
                        return 2;
                }
        }

        printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        fflush(stdout);

        while (fgets(line, sizeof(line), stdin) && run_command(line))
                ;

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
