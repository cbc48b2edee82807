# The streamsgd command as an image: `serve` by default, and `topics create`, `submit`, `stop`,
# `produce` for the set-up and sample-producer containers. Also holds the shaded job jar, which
# `submit` uploads to the Flink cluster.
#
#   mvn -B -DskipTests -Pdist package
#   docker build -f docker/serving.Dockerfile -t streamsgd:0.1.0 .
ARG JAVA_VERSION=17
FROM eclipse-temurin:${JAVA_VERSION}-jre
COPY src/cli/target/lib/ /opt/streamsgd/lib/
COPY src/cli/target/streamsgd-cli-*.jar /opt/streamsgd/lib/
COPY flink-job/target/streamsgd-flink-job-*-job.jar /opt/streamsgd/streamsgd-job.jar
COPY src/process/target/classes/io/streamsgd/process/java17-opens.txt /opt/streamsgd/
COPY docker/streamsgd-launcher.sh /usr/local/bin/streamsgd
RUN chmod 0755 /usr/local/bin/streamsgd \
 && useradd --system --uid 10001 --home-dir /var/lib/streamsgd --create-home streamsgd
ENV STREAMSGD_JOB_JAR=/opt/streamsgd/streamsgd-job.jar
USER streamsgd
WORKDIR /var/lib/streamsgd
EXPOSE 8080
ENTRYPOINT ["streamsgd"]
CMD ["serve", "--help"]
