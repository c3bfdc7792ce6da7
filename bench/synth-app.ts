// One synthesis of a stack of N waiters, as `cdk synth` runs an app: a fresh process.
import { waiterStack } from './stacks';

const stack = waiterStack(Number(process.argv[2]));
(stack.node.root as import('aws-cdk-lib').App).synth();
