export * from "./hasher";
export * from "./sparse-merkle-tree";
