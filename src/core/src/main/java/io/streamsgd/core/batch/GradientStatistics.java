package io.streamsgd.core.batch;

/**
 * What the adaptive batch tests need to know about a batch's per-sample loss gradients g_i (at the
 * current parameters, intercepts included), all from sums the trainer forms in O(nnz):
 *
 * @param n samples in the batch
 * @param meanNormSquared ||g||^2 of the mean gradient g = (1/n) sum g_i
 * @param traceVariance ||Var||_1 = sum over coordinates of the sample variance, (sum ||g_i||^2 - n
 *     ||g||^2) / (n - 1)
 * @param innerProductVariance sample variance of g_i . g
 * @param orthogonalVariance (1/(n-1)) sum ||g_i - (g_i . g / ||g||^2) g||^2
 */
public record GradientStatistics(
    int n,
    double meanNormSquared,
    double traceVariance,
    double innerProductVariance,
    double orthogonalVariance) {}
