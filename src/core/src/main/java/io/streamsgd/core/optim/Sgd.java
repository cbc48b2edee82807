package io.streamsgd.core.optim;

import io.streamsgd.core.model.LinearModel;

/** Plain gradient descent with a constant learning rate: {@code theta -= eta * g}. */
public final class Sgd implements Optimizer {
  private final double learningRate;

  public Sgd(double learningRate) {
    this.learningRate = learningRate;
  }

  @Override
  public int slotCount() {
    return 0;
  }

  @Override
  public void apply(
      LinearModel model, double[] gradWeights, double[] gradIntercepts, double[][] slots, long step) {
    double[] w = model.weights();
    for (int i = 0; i < w.length; i++) {
      w[i] -= learningRate * gradWeights[i];
    }
    double[] b = model.intercepts();
    for (int j = 0; j < b.length; j++) {
      b[j] -= learningRate * gradIntercepts[j];
    }
  }
}
