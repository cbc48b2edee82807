package io.streamsgd.cli.demo;

import io.streamsgd.cli.kafka.KafkaClientOptions;
import io.streamsgd.input.produce.SampleProducer;
import io.streamsgd.input.produce.SeededModel;
import io.streamsgd.schema.TopicNames;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd produce}: the demo's specs and samples, sent to any Kafka cluster, to see a
 * deployment train before real producers are wired in.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    header = "Sends the demo's specs and samples to any Kafka cluster.",
    description =
        "Publishes the specs of the demo's three models (linear-fast, linear-slow, logistic) and streams "
            + "their samples (y = 3x + 2 + U(0,1); label = round(tanh(2x) + U(0,1))) to the samples topic, "
            + "keyed by model id, as Avro single-object records.")
public final class ProduceCommand implements Callable<Integer> {
  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--samples",
      defaultValue = "200000",
      description = "Samples per model; 0 produces until stopped (default: ${DEFAULT-VALUE}).")
  long samplesPerModel;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Samples per second over all models; 0 is as fast as the broker takes them (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--samples-topic",
      defaultValue = TopicNames.SAMPLES,
      description = "(default: ${DEFAULT-VALUE})")
  String samplesTopic;

  @Option(
      names = "--specs-topic",
      defaultValue = TopicNames.MODEL_SPECS,
      description = "(default: ${DEFAULT-VALUE})")
  String specsTopic;

  @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> props = kafka.clientProperties();
    List<SeededModel> models = DemoCommand.models();
    DemoCommand.publishSpecs(props, specsTopic, models, out);
    SampleProducer producer =
        new SampleProducer(props, samplesTopic, models, samplesPerModel, seed, rate);
    Thread thread = new Thread(producer, "producer");
    Thread hook =
        new Thread(
            () -> {
              producer.stop();
              joinQuietly(thread);
            },
            "produce-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    thread.start();
    long last = -1;
    while (thread.isAlive()) {
      thread.join(5000);
      long n = producer.produced();
      if (n != last) {
        out.printf("  produced %,d samples to '%s'%n", n, samplesTopic);
        last = n;
      }
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    if (producer.failure() != null) {
      throw new IllegalStateException("producing failed", producer.failure());
    }
    out.printf("done: %,d samples%n", producer.produced());
    return 0;
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
