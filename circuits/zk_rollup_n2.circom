pragma circom 2.0.0;

// The test suite's circuit: batches of 2 operations over a depth-8 tree (256 accounts).
include "lib/batch.circom";

component main {public [commitment, domain]} = RollupBatch(2, 8);
