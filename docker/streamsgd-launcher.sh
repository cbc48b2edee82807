#!/bin/sh
# The streamsgd command inside the image. JAVA_OPTS adds JVM options (heap, GC, system properties).
# java17-opens.txt holds the opens and exports Flink's embedded MiniCluster (demo, run) needs on
# Java 17: the build's one list, the parent pom's flink.jvm.opens.
exec java $(cat /opt/streamsgd/java17-opens.txt) \
  ${JAVA_OPTS:-} -cp '/opt/streamsgd/lib/*' io.streamsgd.cli.Main "$@"
