import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  BatchInferenceJob,
  BatchSegmentJob,
  DatasetImportSource,
  ImportMode,
  RunBatchInferenceJob,
  RunBatchSegmentJob,
  RunDatasetImportJob,
  SolutionVersion,
  TrainSolutionVersion,
} from '../lib';
import { acknowledgeFindings } from '../lib/engine/acknowledged-findings';

export interface ScheduledRunsProps {
  /** The bucket the day's interactions are exported to, under `daily/interactions/`. */
  readonly data: s3.IBucket;
  /** The dataset the day's interactions are imported into. */
  readonly interactionsDatasetArn: string;
  /** The stack's models, trained again every Sunday behind the same gates. */
  readonly segmentsModel: SolutionVersion;
  readonly recommendationsModel: SolutionVersion;
  /** The stack's batch jobs, run again every night on the newest models that passed their gates. */
  readonly segments: BatchSegmentJob;
  readonly recommendations: BatchInferenceJob;
}

/** The source of the events each run publishes on the default bus when a stage ends. */
export const RUN_EVENT_SOURCE = 'cdk-personalize-batch-jobs.example';
export const RUN_EVENT_DETAIL_TYPE = 'Personalize run stage ended';

/** When the runs start: every night at 02:00 UTC, retraining on Sundays. */
export const SCHEDULES = [
  { id: 'Nightly', expression: 'cron(0 2 ? * MON-SAT *)', retrain: false },
  { id: 'Weekly', expression: 'cron(0 2 ? * SUN *)', retrain: true },
] as const;

/**
 * The pipeline of `PipelineStack`, run again by a state machine, from the same definitions: every
 * night it imports the day's interactions and makes segments and recommendations; on Sundays it
 * first trains both models again behind their gates, and the versions that pass are the ones the
 * nights after use (kept in two SSM parameters, which start with the versions the stack trained).
 * EventBridge Scheduler starts it, once per scheduled time (the runs' work is named from that
 * time), and each stage publishes an event on the default bus when it ends, with the ARNs and
 * figures, or the error and its cause.
 */
export class ScheduledRuns extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** Where the newest versions that passed their gates are kept between runs. */
  public readonly segmentsVersion: ssm.StringParameter;
  public readonly recommendationsVersion: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ScheduledRunsProps) {
    super(scope, id);
    this.segmentsVersion = new ssm.StringParameter(this, 'SegmentsVersion', {
      description: 'The segments model version the scheduled runs use: the newest that passed its gate',
      stringValue: props.segmentsModel.solutionVersionArn,
    });
    this.recommendationsVersion = new ssm.StringParameter(this, 'RecommendationsVersion', {
      description: 'The recommendations model version the scheduled runs use: the newest that passed its gate',
      stringValue: props.recommendationsModel.solutionVersionArn,
    });

    const importTheDay = new RunDatasetImportJob(this, 'Import', {
      datasetArn: props.interactionsDatasetArn,
      source: DatasetImportSource.fromBucket(props.data, 'daily/interactions/'),
      importMode: ImportMode.INCREMENTAL,
      jobNamePrefix: 'nightly-interactions',
      resultPath: '$.import',
    });
    const trainings = [
      TrainSolutionVersion.sameAs(this, 'RetrainSegments', props.segmentsModel, { jobNamePrefix: 'weekly-segments', resultPath: '$.segmentsModel' }),
      TrainSolutionVersion.sameAs(this, 'RetrainRecommendations', props.recommendationsModel, { jobNamePrefix: 'weekly-recommendations', resultPath: '$.recommendationsModel' }),
    ];
    const retrain = trainings[0]
      .next(trainings[1])
      .next(this.keep('Segments', this.segmentsVersion, '$.segmentsModel.JobArn'))
      .next(this.keep('Recommendations', this.recommendationsVersion, '$.recommendationsModel.JobArn'))
      .next(this.stageEnded('retrain', { SegmentsVersion: '$.segmentsModel.JobArn', RecommendationsVersion: '$.recommendationsModel.JobArn', SegmentsMetrics: '$.segmentsModel.Metrics', RecommendationsMetrics: '$.recommendationsModel.Metrics', SegmentsTrainingHours: '$.segmentsModel.TrainingHours', RecommendationsTrainingHours: '$.recommendationsModel.TrainingHours' }));
    const current = this.current('Segments', this.segmentsVersion, '$.segmentsModel').next(this.current('Recommendations', this.recommendationsVersion, '$.recommendationsModel'));
    const batchJobs = RunBatchSegmentJob.sameAs(this, 'Segments', props.segments, {
      jobNamePrefix: 'nightly-segments',
      solutionVersionArn: sfn.JsonPath.stringAt('$.segmentsModel.JobArn'),
      resultPath: '$.segments',
    })
      .next(this.stageEnded('segments', { JobArn: '$.segments.JobArn', OutputPath: '$.segments.OutputPath', SolutionVersionArn: '$.segmentsModel.JobArn' }))
      .next(RunBatchInferenceJob.sameAs(this, 'Recommendations', props.recommendations, {
        jobNamePrefix: 'nightly-recommendations',
        solutionVersionArn: sfn.JsonPath.stringAt('$.recommendationsModel.JobArn'),
        resultPath: '$.recommendations',
      }))
      .next(this.stageEnded('recommendations', { JobArn: '$.recommendations.JobArn', OutputPath: '$.recommendations.OutputPath', SolutionVersionArn: '$.recommendationsModel.JobArn' }));

    const models = new sfn.Choice(this, 'Retrain tonight?').when(sfn.Condition.booleanEquals('$.retrain', true), retrain).otherwise(current).afterwards();
    const run = new sfn.Parallel(this, 'Run', { comment: 'The night\'s stages; any failure is published as an event before the run fails.' });
    run.branch(importTheDay.next(this.stageEnded('import', { JobArn: '$.import.JobArn', DataLocation: '$.import.DataLocation' })).next(models).next(batchJobs));
    const failed = this.stageEnded('run', { Error: '$.failure.Error', Cause: '$.failure.Cause' }, 'FAILED').next(new sfn.Fail(this, 'Failed', { causePath: '$.failure.Cause', errorPath: '$.failure.Error' }));
    run.addCatch(failed, { resultPath: '$.failure' });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(run),
      comment: 'The pipeline every night: import, retrain on Sundays behind the gates, segments and recommendations',
      // A training takes hours, and waits at most 8 (maxWait); the longest night is well within a day.
      timeout: Duration.days(1),
      tracingEnabled: true,
      logs: { destination: this.logGroup(), level: sfn.LogLevel.ALL },
    });
    acknowledgeRunGrants(this.stateMachine);
    // A night stopped by hand, or past the state machine's timeout, stops its trainings too.
    trainings.forEach((training) => training.stopWhenExecutionEnds(this.stateMachine));
    this.schedule();
  }

  /** The state machine's execution log: every state's input and output, which hold ARNs, names and figures, no data. */
  private logGroup(): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const reason = 'The runs\' log holds ARNs, names, statuses and metrics, no data; in a regulated account give it a KMS key, as handlerSettings.logEncryptionKey does for the library\'s.';
    acknowledgeFindings(logGroup, ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}::${pack}-CloudWatchLogGroupEncrypted`, reason })));
    return logGroup;
  }

  /** Keeps the version that passed its gate for the nights to come. */
  private keep(model: string, parameter: ssm.StringParameter, versionPath: string): tasks.CallAwsService {
    return new tasks.CallAwsService(this, `Keep the ${model.toLowerCase()} version`, {
      service: 'ssm',
      action: 'putParameter',
      iamResources: [parameter.parameterArn],
      parameters: { Name: parameter.parameterName, Value: sfn.JsonPath.stringAt(versionPath), Overwrite: true },
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** Reads the version the nights use into `resultPath`, where a training would have put it. */
  private current(model: string, parameter: ssm.StringParameter, resultPath: string): tasks.CallAwsService {
    return new tasks.CallAwsService(this, `The current ${model.toLowerCase()} version`, {
      service: 'ssm',
      action: 'getParameter',
      iamResources: [parameter.parameterArn],
      parameters: { Name: parameter.parameterName },
      resultSelector: { 'JobArn.$': '$.Parameter.Value' },
      resultPath,
    });
  }

  /** Publishes that `stage` ended, with `fields` (each a path into the state). */
  private stageEnded(stage: string, fields: Record<string, string>, status = 'SUCCEEDED'): tasks.EventBridgePutEvents {
    return new tasks.EventBridgePutEvents(this, `Publish: ${stage} ${status === 'SUCCEEDED' ? 'ended' : 'failed'}`, {
      entries: [
        {
          source: RUN_EVENT_SOURCE,
          detailType: RUN_EVENT_DETAIL_TYPE,
          detail: sfn.TaskInput.fromObject({
            Stage: stage,
            Status: status,
            ScheduledTime: sfn.JsonPath.stringAt('$$.Execution.Input.scheduledTime'),
            Execution: sfn.JsonPath.stringAt('$$.Execution.Id'),
            ...Object.fromEntries(Object.entries(fields).map(([field, path]) => [field, sfn.JsonPath.stringAt(path)])),
          }),
        },
      ],
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /**
   * EventBridge Scheduler starts the state machine (the L1 resource, which every aws-cdk-lib the
   * library supports has), with the scheduled time as the input that names the run's work: a
   * start it delivers twice finds the work the first started.
   */
  private schedule(): void {
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'Lets EventBridge Scheduler start the scheduled Personalize runs',
    });
    this.stateMachine.grantStartExecution(role);
    acknowledgeInlinePolicy(role);
    for (const { id, expression, retrain } of SCHEDULES) {
      new scheduler.CfnSchedule(this, id, {
        scheduleExpression: expression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: this.stateMachine.stateMachineArn,
          roleArn: role.roleArn,
          input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>', retrain }),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      });
    }
  }
}

/**
 * What cdk-nag reports on the state machine's role for the grants the library's runs give it, and
 * why each holds; the example's roles keep inline policies, as the library's do.
 */
function acknowledgeRunGrants(stateMachine: sfn.StateMachine): void {
  acknowledgeFindings(
    stateMachine.role,
    { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'ListSolutionVersions (a training run looks for its version) supports no resource-level permission; X-Ray\'s writes neither.' },
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<SegmentsSolution.SolutionArn>/*]',
      reason: 'Personalize chooses a version\'s id when it trains: the runs read, gate and stop the versions of this one solution.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<RecommendationsSolution.SolutionArn>/*]',
      reason: 'Personalize chooses a version\'s id when it trains: the runs read, gate and stop the versions of this one solution.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:solution/*/*]',
      reason: 'The batch inference job runs on the version the night reads or trains, known only when it runs: CreateBatchInferenceJob is allowed on the versions of this account and region.',
    },
  );
  acknowledgeInlinePolicy(stateMachine.role);
}

/** The example's roles keep inline policies, as the library's do. */
function acknowledgeInlinePolicy(role: iam.IRole): void {
  const reason = 'Each of the example\'s roles has one principal\'s least-privilege grant, as the library\'s do.';
  acknowledgeFindings(role, ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason })));
}
