import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { BatchSegmentJobWaiter } from '../lib';

export interface SegmentsExportStackProps extends StackProps {
  readonly batchSegmentJobArn: string;
}

/** Waits for a batch segment job, then exposes its segments as a Glue table for Athena. */
export class SegmentsExportStack extends Stack {
  constructor(scope: Construct, id: string, props: SegmentsExportStackProps) {
    super(scope, id, props);

    const segments = new BatchSegmentJobWaiter(this, 'Segments', {
      batchSegmentJobArn: props.batchSegmentJobArn,
    });

    const database = new glue.CfnDatabase(this, 'SegmentsDatabase', {
      catalogId: this.account,
      databaseInput: { name: 'personalize_segments' },
    });
    // One JSON line per input item: {"input": {"itemId": ...}, "output": {"usersList": [...]}, "error": null}
    const table = new glue.CfnTable(this, 'SegmentsTable', {
      catalogId: this.account,
      databaseName: 'personalize_segments',
      tableInput: {
        name: 'batch_segments',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'json', 'personalize.numResults': segments.numResultsAsString },
        storageDescriptor: {
          location: segments.outputPath,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
          columns: [
            { name: 'input', type: 'struct<itemId:string>' },
            { name: 'output', type: 'struct<usersList:array<string>>' },
            { name: 'error', type: 'string' },
          ],
        },
      },
    });
    table.node.addDependency(database);
    // Reading outputPath already orders the table after the job; the explicit dependency shows
    // how a resource that reads no attribute waits for the job too.
    table.node.addDependency(segments);

    new CfnOutput(this, 'NumResults', { value: segments.numResultsAsString });
    new CfnOutput(this, 'OutputPath', { value: segments.outputPath });
    new CfnOutput(this, 'Status', { value: segments.status });
  }
}
