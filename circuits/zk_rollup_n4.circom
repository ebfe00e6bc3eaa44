pragma circom 2.0.0;

// A benchmark circuit: batches of 4 operations over a depth-8 tree (256 accounts), built by scripts/bench-zk.ts.
include "lib/batch.circom";

component main {public [commitment, domain]} = RollupBatch(4, 8);
