package dev.deliverytracker.local;

/** What the one-machine mode prints once everything is ready: where each thing listens, and five curl commands. */
final class Banner {

    private Banner() {
    }

    static String text(LocalPipeline pipeline) {
        LocalPipelineOptions options = pipeline.options();
        String send = pipeline.sendServiceUrl();
        String status = pipeline.statusStreamUrl();
        return """

                delivery-tracker is running on one machine. Ctrl-C stops everything.

                  dashboard        %s/   (live: delivered, failed, stuck, alerts; click a message for its history)
                  send-service     %s          (OpenAPI: %s/swagger/send-service-0.1.yml)
                  webhook-ingest   %s/webhooks/bizgo
                  status-stream    %s/v1/deliveries/{msgKey}
                  monitor          %s/v1/alerts   (notifications are printed here, signed and checked)
                  fake Bizgo       %s   (reports by signed webhook to webhook-ingest)
                  fake NCP SENS    %s   (results collected by webhook-ingest from its result API)
                  fake Aligo       %s   (likewise, from its history and SMS APIs)
                  Kafka            %s     (topics delivery.sends, .reports, .status, .alerts, .dead-records)
                  schema registry  %s (in-process)
                  stuck after      %s without a report

                1. Send a message (a number ending 00-79 is delivered; see the README for the others):

                  curl -s -X POST %s/v1/messages -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                    -d '{"to":"010-1234-5601","origin":"demo","ref":"my-first","flow":[{"channel":"ALIMTALK","templateCode":"DEMO","text":"Hello #{name}"},{"channel":"SMS","text":"Hello #{name}"}],"variables":{"name":"Kim"}}'

                2. Look up its status (PENDING, then SENT about a second later):

                  curl -s %s/v1/deliveries/<msgKey from step 1> -H 'Authorization: Bearer %s'

                3. A message nobody ever reports (number ending 96): STUCK_PENDING after %s:

                  curl -s -X POST %s/v1/messages -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                    -d '{"to":"010-1234-5696","origin":"demo","flow":[{"channel":"SMS","text":"silence"}]}'

                4. The same through NCP SENS (AlimTalk; a number ending 91 fails 3015, template not found: an account failure):

                  curl -s -X POST %s/v1/messages -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \
                    -d '{"to":"010-1234-5601","origin":"demo","provider":"ncp-sens","flow":[{"channel":"ALIMTALK","templateCode":"DEMO","text":"Hello #{name}"}],"variables":{"name":"Kim"}}'

                5. Through Aligo (AlimTalk, an SMS fail-over; a number ending 81 fails over to SMS and is delivered):

                  curl -s -X POST %s/v1/messages -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                    -d '{"to":"010-1234-5681","origin":"demo","provider":"aligo","flow":[{"channel":"ALIMTALK","templateCode":"DEMO","text":"Hello #{name}"},{"channel":"SMS","text":"Hello #{name}"}],"variables":{"name":"Kim"}}'

                Or restart with --demo for steady traffic and a live summary.
                """.formatted(pipeline.monitorUrl(), send, send, pipeline.webhookIngestUrl(), status, pipeline.monitorUrl(), pipeline.bizgo().baseUrl(),
                pipeline.sens().baseUrl(), pipeline.aligo().baseUrl(), pipeline.bootstrapServers(), pipeline.registryUrl(), options.stuckTimeout(), send, LocalPipeline.DEMO_TOKEN,
                status, LocalPipeline.DEMO_TOKEN, options.stuckTimeout(), send, LocalPipeline.DEMO_TOKEN, send, LocalPipeline.DEMO_TOKEN, send,
                LocalPipeline.DEMO_TOKEN);
    }
}
