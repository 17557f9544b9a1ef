package io.edgeai.djl.blocks;

import ai.djl.nn.Block;

/**
 * What an {@link Architecture} builds: the block the loss trains, the block a served version computes (one output row
 * per input row; may be the same block, they share parameters), the loss it trains with unless told otherwise, and
 * the width of a served output row.
 *
 * @param defaultLoss {@code mse}, {@code mae} or {@code cross-entropy}
 */
public record BuiltBlocks(Block training, Block serving, String defaultLoss, int servedOutputs) {
}
