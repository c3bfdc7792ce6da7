import { App, Stack } from 'aws-cdk-lib';
import { acknowledgeFindings } from '../lib/engine/acknowledged-findings';

/** The metadata that aws-cdk-lib's validation report and cdk-nag read as acknowledgements. */
function acknowledgementsOf(stack: Stack): unknown[] {
  return stack.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules').map((entry) => entry.data);
}

it('records each finding with its reason, as Validations.of(scope).acknowledge() does', () => {
  const stack = new Stack(new App(), 'Stack');
  acknowledgeFindings(stack, { id: 'AwsSolutions::AwsSolutions-L1', reason: 'pinned' }, { id: 'AwsSolutions::AwsSolutions-S1', reason: 'logs elsewhere' });
  expect(acknowledgementsOf(stack)).toEqual([{ 'AwsSolutions::AwsSolutions-L1': 'pinned' }, { 'AwsSolutions::AwsSolutions-S1': 'logs elsewhere' }]);
});

it('records a finding acknowledged again on the same construct only once', () => {
  const stack = new Stack(new App(), 'Stack');
  acknowledgeFindings(stack, { id: 'AwsSolutions::AwsSolutions-L1', reason: 'pinned' });
  acknowledgeFindings(stack, { id: 'AwsSolutions::AwsSolutions-L1', reason: 'pinned' }, { id: 'AwsSolutions::AwsSolutions-S1', reason: 'logs elsewhere' });
  expect(acknowledgementsOf(stack)).toEqual([{ 'AwsSolutions::AwsSolutions-L1': 'pinned' }, { 'AwsSolutions::AwsSolutions-S1': 'logs elsewhere' }]);
});

it('does not take other metadata with the same key for an acknowledgement', () => {
  const stack = new Stack(new App(), 'Stack');
  stack.node.addMetadata('some:other:metadata', { 'AwsSolutions::AwsSolutions-L1': 'unrelated' });
  acknowledgeFindings(stack, { id: 'AwsSolutions::AwsSolutions-L1', reason: 'pinned' });
  expect(acknowledgementsOf(stack)).toEqual([{ 'AwsSolutions::AwsSolutions-L1': 'pinned' }]);
});
