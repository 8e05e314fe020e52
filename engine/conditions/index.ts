export type { CompiledCondition, ConditionEvaluation, ExplainLeaf } from "./compile";
export { ConditionCompileError, compileCondition, copyConditionValue } from "./compile";
export type { FactContext } from "./facts";
export { getPath, leftHandSide, ownProperty, parsePath, resolveFact, resolvePath } from "./facts";
export type { OperatorTest } from "./operators";
export { applyOperator, compileOperator, isOperator } from "./operators";
