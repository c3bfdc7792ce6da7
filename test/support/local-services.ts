import type { LocalIam } from '../../local/iam/local-iam';
import { LocalServices } from '../../local/step-functions/service-tasks';
import type { SynthesizedStack } from './local-stack';

/** The SSM parameters and the event bus of a deployed stack: a parameter starts with the value its template gives, as deployed. */
export function localServicesOf(stack: SynthesizedStack, iam: LocalIam): LocalServices {
  return new LocalServices(iam, 'us-east-1', (name) => {
    const logicalId = stack.deployment.logicalIdsOf('AWS::SSM::Parameter').find((id) => stack.deployment.refOf(id) === name);
    return logicalId === undefined ? undefined : String(stack.deployment.requestPropertiesOf(logicalId).Value);
  });
}
