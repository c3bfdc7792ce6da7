/**
 * What the local endpoint serves of one kind of batch job (segment, inference): its operations, the
 * fields it answers with. The endpoint runs every such kind alike, with the limit of five in flight.
 */
export interface EndpointKind {
  readonly noun: string;
  readonly arnResource: string;
  readonly arnField: 'batchSegmentJobArn' | 'batchInferenceJobArn';
  readonly describe: string;
  readonly create: string;
  readonly list: string;
  readonly describeKey: string;
  readonly listKey: string;
}
