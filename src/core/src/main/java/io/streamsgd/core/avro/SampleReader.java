package io.streamsgd.core.avro;

import io.streamsgd.core.feature.FeatureVector;
import io.streamsgd.core.train.Sample;
import io.streamsgd.schema.DenseFeatures;
import io.streamsgd.schema.NamedFeatures;
import io.streamsgd.schema.SparseFeatures;
import io.streamsgd.schema.TrainingSample;
import io.streamsgd.schema.codec.Codecs;
import io.streamsgd.schema.codec.ConfluentFraming;
import io.streamsgd.schema.codec.DecodeException;
import io.streamsgd.schema.codec.FramedCodec;
import java.util.List;
import org.apache.avro.SchemaNormalization;

/**
 * Decodes {@link TrainingSample} bytes (single-object encoded, or Confluent-framed through a {@link
 * FramedCodec}) into primitive fields. Records written with the current schema are read directly
 * from the bytes, with no intermediate Avro record and no boxed {@code List<Double>}; records of
 * any earlier schema version in the history (and every malformed header) go through {@link
 * Codecs#TRAINING_SAMPLE}, so both paths accept and refuse exactly the same inputs. Stateless and
 * thread-safe.
 */
public final class SampleReader {
  /**
   * The CRC-64-AVRO fingerprint of the schema the direct path is written for. A change to
   * TrainingSample.avsc changes the current fingerprint, turns the direct path off (everything
   * still decodes, through Avro) and fails SampleReaderTest until this reader is updated.
   */
  static final long DIRECT_PATH_FINGERPRINT = 0xa7a449a401f799b3L;

  private static final long CURRENT =
      SchemaNormalization.parsingFingerprint64(TrainingSample.getClassSchema());
  private static final int HEADER = 10;

  private SampleReader() {}

  /**
   * Whether records of the current schema take the direct path (false only after a schema change).
   */
  public static boolean directPathActive() {
    return CURRENT == DIRECT_PATH_FINGERPRINT;
  }

  static long currentFingerprint() {
    return CURRENT;
  }

  /** Reads single-object encoding only: a Confluent-framed record fails as UNKNOWN_SCHEMA. */
  private static final FramedCodec<TrainingSample> SINGLE_OBJECT_ONLY =
      FramedCodec.of(Codecs.TRAINING_SAMPLE, null);

  /**
   * The record's fields, from single-object encoding; {@link DecodeException} for bytes that are
   * not a readable sample.
   */
  public static DecodedSample read(byte[] bytes) throws DecodeException {
    return read(bytes, SINGLE_OBJECT_ONLY);
  }

  /**
   * The record's fields, from either framing {@code codec} reads; {@link DecodeException} for bytes
   * that are not a readable sample. A Confluent-framed record whose writer schema is the current
   * one takes the direct path too.
   */
  public static DecodedSample read(byte[] bytes, FramedCodec<TrainingSample> codec)
      throws DecodeException {
    if (ConfluentFraming.isFramed(bytes)) {
      if (directPathActive() && codec.writtenWithReaderSchema(bytes)) {
        return readBody(new AvroBinaryCursor(bytes, ConfluentFraming.HEADER));
      }
      return fromRecord(codec.decode(bytes));
    }
    if (bytes != null
        && bytes.length >= HEADER
        && bytes[0] == (byte) 0xC3
        && bytes[1] == (byte) 0x01
        && fingerprint(bytes) == CURRENT
        && directPathActive()) {
      return readBody(new AvroBinaryCursor(bytes, HEADER));
    }
    return fromRecord(Codecs.TRAINING_SAMPLE.decode(bytes));
  }

  private static long fingerprint(byte[] bytes) {
    long fp = 0;
    for (int i = 9; i >= 2; i--) {
      fp = (fp << 8) | (bytes[i] & 0xffL);
    }
    return fp;
  }

  // Field order of TrainingSample: modelId, features (union of Dense, Sparse, Named), label,
  // weight, eventTime.
  private static DecodedSample readBody(AvroBinaryCursor in) throws DecodeException {
    String modelId = in.readString();
    int branch = in.readInt();
    FeatureVector.Kind kind;
    int[] indices = null;
    String[] names = null;
    double[] values;
    switch (branch) {
      case 0 -> {
        kind = FeatureVector.Kind.DENSE;
        values = in.readDoubleArray();
      }
      case 1 -> {
        kind = FeatureVector.Kind.SPARSE;
        indices = in.readIntArray();
        values = in.readDoubleArray();
      }
      case 2 -> {
        kind = FeatureVector.Kind.HASHED;
        names = in.readStringArray();
        values = in.readDoubleArray();
      }
      default ->
          throw new DecodeException(
              DecodeException.Kind.MALFORMED, "features union has no branch " + branch);
    }
    double label = in.readDouble();
    double weight = in.readDouble();
    long eventTime = in.readLong();
    return new DecodedSample(modelId, kind, indices, names, values, label, weight, eventTime);
  }

  private static DecodedSample fromRecord(TrainingSample record) {
    Object f = record.getFeatures();
    FeatureVector.Kind kind;
    int[] indices = null;
    String[] names = null;
    List<Double> values;
    if (f instanceof DenseFeatures d) {
      kind = FeatureVector.Kind.DENSE;
      values = d.getValues();
    } else if (f instanceof SparseFeatures s) {
      kind = FeatureVector.Kind.SPARSE;
      indices = s.getIndices().stream().mapToInt(Integer::intValue).toArray();
      values = s.getValues();
    } else {
      NamedFeatures n = (NamedFeatures) f;
      kind = FeatureVector.Kind.HASHED;
      names = n.getNames().toArray(new String[0]);
      values = n.getValues();
    }
    return new DecodedSample(
        record.getModelId(),
        kind,
        indices,
        names,
        DoubleArrayView.toArray(values),
        record.getLabel(),
        record.getWeight(),
        record.getEventTime().toEpochMilli());
  }

  /** The fields of one training-sample record, features as primitive arrays. */
  public record DecodedSample(
      String modelId,
      FeatureVector.Kind kind,
      int[] indices,
      String[] names,
      double[] values,
      double label,
      double weight,
      long eventTime) {

    /**
     * The sample; {@link IllegalArgumentException} when indices (or names) and values differ in
     * length.
     */
    public Sample toSample(Sample.Origin origin) {
      FeatureVector features =
          switch (kind) {
            case DENSE -> FeatureVector.dense(values);
            case SPARSE -> FeatureVector.sparse(indices, values);
            case HASHED -> FeatureVector.named(names, values);
          };
      return new Sample(modelId, features, label, weight, eventTime, origin);
    }
  }
}
