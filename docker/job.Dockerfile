# The trainer as a Flink image: the official Flink image (same version as the pom's flink.version)
# with the shaded job jar in usrlib/, ready for application mode or for `flink run` from inside.
#
#   mvn -B -DskipTests package -pl flink-job -am
#   docker build -f docker/job.Dockerfile -t streamsgd-job:0.1.0 .
ARG FLINK_VERSION=2.2.1
FROM flink:${FLINK_VERSION}-java17
COPY flink-job/target/streamsgd-flink-job-*-job.jar /opt/flink/usrlib/streamsgd-job.jar
