#!/bin/sh
# The streamsgd command inside the image. JAVA_OPTS adds JVM options (heap, GC, system properties).
# The --add-opens are what Flink's embedded MiniCluster (demo, run) needs on Java 17.
exec java \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  ${JAVA_OPTS:-} -cp '/opt/streamsgd/lib/*' io.streamsgd.cli.Main "$@"
