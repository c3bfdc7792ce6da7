import * as personalize from '@aws-sdk/client-personalize';
import { personalizeError } from '../../lib/engine/workflow/sdk-integration';
import { operationShapes, recasedByShape } from './sdk-shapes';

/*
 * Step Functions' AWS SDK integration, for Personalize, as a task's local handler: the task's
 * PascalCase parameters become the API's camelCase request, sent by the real SDK client to the
 * local endpoint; the answer comes back with PascalCase keys, and an error as
 * `Personalize.<Name>Exception` (facts.md, "Step Functions and EventBridge Scheduler"; the same
 * conversions ministack had to make, ministackorg/ministack#291, #581), by the API's shapes
 * (sdk-shapes.ts). Not documented, so modelled as the worst plausible case: Step Functions does
 * not retry the call for the state machine (the client makes one attempt), so only the states'
 * own Retry fields do.
 */

const SDK_RESOURCE = /^arn:[a-z-]+:states:::aws-sdk:personalize:([a-zA-Z]+)$/;

/** A service's error as a task's Retry and Catch see it: its name, and its message as the cause. */
export class SdkTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The API action a task's resource names, or undefined for a resource that is no Personalize SDK integration. */
export function personalizeActionOf(resource: string): string | undefined {
  return SDK_RESOURCE.exec(resource)?.[1];
}

/** Calls `action` with a task's `parameters` through `client`; answers as Step Functions does, throws SdkTaskError. */
export async function callPersonalize(client: personalize.PersonalizeClient, action: string, parameters: unknown): Promise<unknown> {
  const commandName = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const Command = (personalize as unknown as Record<string, new (input: unknown) => personalize.ListBatchSegmentJobsCommand>)[commandName];
  if (Command === undefined) {
    throw new Error(`The Personalize SDK has no ${commandName}: the task's resource names no Personalize API action.`);
  }
  const shapes = operationShapes((personalize as unknown as Record<string, unknown>)[`${upperFirst(action)}$`]);
  const request = recasedByShape(parameters, shapes.input, lowerFirst);
  try {
    const answer = (await client.send(new Command(request))) as unknown as Record<string, unknown>;
    // The SDK's $metadata is the client's, not the service's answer: Step Functions' result has no such field.
    delete answer.$metadata;
    return recasedByShape(answer, shapes.output, upperFirst);
  } catch (error) {
    const { name, message } = error as Error;
    throw new SdkTaskError(personalizeError(name), message);
  }
}

const lowerFirst = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);
const upperFirst = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);
