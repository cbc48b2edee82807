# The trainer as a Flink image: the official Flink image (same version as the pom's flink.version)
# with the shaded job jar in usrlib/, for application mode (Kubernetes operator, standalone-job)
# and as the JobManager/TaskManager image of the compose file's session cluster.
#
#   mvn -B -DskipTests package -pl flink-job -am
#   docker build -f docker/job.Dockerfile -t streamsgd-job:0.1.0 .
ARG FLINK_VERSION=2.2.1
FROM flink:${FLINK_VERSION}-java17
COPY flink-job/target/streamsgd-flink-job-*-job.jar /opt/flink/usrlib/streamsgd-job.jar
# Checkpoints and savepoints of the compose set-up go to a volume mounted here; a new volume takes
# this directory's owner, so the flink user can write to it.
RUN mkdir -p /flink-data && chown flink:flink /flink-data
