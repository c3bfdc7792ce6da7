import { ServiceError } from '../service-error';
import { stepAt, TimelineStep } from '../timeline';

/**
 * The solution versions of the local Personalize endpoint: solutions that become ACTIVE on a
 * schedule, trainings that follow a scripted timeline (and can be stopped), their metrics, and
 * the limit of trainings in progress per region. It answers CreateSolutionVersion,
 * DescribeSolutionVersion, ListSolutionVersions (by pages), StopSolutionVersionCreation,
 * GetSolutionMetrics, DescribeSolution and UpdateSolution as the service documents them.
 *
 * An update of a solution (UpdateSolution) runs for a while, as the service describes one
 * (`latestSolutionUpdate`: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE): its new setting holds
 * only from its end. How long it runs, and whether the solution trains or takes another update
 * meanwhile, is not documented: here it runs UPDATE_SECONDS and both are refused
 * (ResourceInUseException) until it ends, the worst plausible case.
 */

export interface ScriptedSolution {
  /** Seconds after the solution is added before it is ACTIVE and may train. @default 0 */
  readonly activeAfterSeconds?: number;
  /** The timeline of its trainings. @default LIVE_TRAINING_TIMELINE */
  readonly timeline?: readonly TimelineStep[];
  /** The metrics of its trained versions. @default DEFAULT_METRICS */
  readonly metrics?: Readonly<Record<string, number>>;
}

export interface LocalTrainingsOptions {
  readonly clock: () => number;
}

interface Training {
  readonly arn: string;
  readonly name: string;
  readonly solutionArn: string;
  readonly trainingMode: string;
  readonly trainingType: string;
  readonly createdAt: number;
  readonly timeline: readonly TimelineStep[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly tags?: unknown;
  /** When StopSolutionVersionCreation was called, in clock milliseconds. */
  stoppedAt?: number;
  /** The status it was stopped in. */
  stoppedFrom?: string;
}

/** A training as the live service runs one: minutes pending, then hours in progress. */
export const LIVE_TRAINING_TIMELINE: readonly TimelineStep[] = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 2 * 3600, status: 'ACTIVE' },
];
export const DEFAULT_METRICS: Readonly<Record<string, number>> = {
  coverage: 0.31,
  mean_reciprocal_rank_at_25: 0.18,
  normalized_discounted_cumulative_gain_at_10: 0.24,
  precision_at_5: 0.09,
};
/** The service's default limit on pending or in-progress solution versions per region. */
export const TRAINING_LIMIT_PER_REGION = 20;
type LocalSolution = ScriptedSolution & {
  readonly addedAt: number;
  /** The setting before the latest update ended. */
  performAutoTraining: boolean;
  update?: { readonly startedAt: number; readonly endsAt: number; readonly performAutoTraining: boolean };
};

/** How long an UpdateSolution runs here (undocumented; see the class comment). */
export const UPDATE_SECONDS = 120;
/** How long a training that is stopped while in progress reports CREATE STOPPING. */
const STOPPING_SECONDS = 60;
const RUNNING = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$/;

export class LocalTrainings {
  static readonly OPERATIONS = [
    'CreateSolutionVersion',
    'DescribeSolutionVersion',
    'ListSolutionVersions',
    'StopSolutionVersionCreation',
    'GetSolutionMetrics',
    'UpdateSolution',
    'DescribeSolution',
  ];

  private readonly solutions = new Map<string, LocalSolution>();
  private readonly trainings = new Map<string, Training>();
  private nextId = 0;

  constructor(private readonly options: LocalTrainingsOptions) {}

  addSolution(arn: string, solution: ScriptedSolution = {}): void {
    this.solutions.set(arn, { ...solution, addedAt: this.options.clock(), performAutoTraining: true });
  }

  /** Starts a training of a solution added before, as a call from elsewhere would (another stack, a console); answers its ARN. */
  startTraining(solutionArn: string, name?: string): string {
    return this.create(solutionArn.split(':')[3], { solutionArn, ...(name !== undefined ? { name } : {}) });
  }

  /** The ARN the next version of a solution will have (IAM authorizes the tags of its Create on it). */
  nextVersionArn(solutionArn: string): string {
    return versionArn(solutionArn, this.nextId);
  }

  /** The versions created, by ARN, oldest first. */
  versionArns(): string[] {
    return [...this.trainings.keys()];
  }

  /** A version's status at the clock's present time. */
  statusOf(arn: string): string | undefined {
    const training = this.trainings.get(arn);
    return training === undefined ? undefined : this.statusNow(training);
  }

  /** Whether a version exists and is ACTIVE: a batch job can be made from it. */
  isActive(arn: string): boolean {
    return this.statusOf(arn) === 'ACTIVE';
  }

  /** The tags a version was created with, as CreateSolutionVersion took them; undefined for an unknown ARN. */
  tagsOf(arn: string): readonly { tagKey: string; tagValue: string }[] | undefined {
    const training = this.trainings.get(arn);
    return training === undefined ? undefined : Array.isArray(training.tags) ? training.tags : [];
  }

  /**
   * Adds a version that ended before, as another deployment, a person or automatic training left
   * it: `ACTIVE` (or the status given) since `createdAt`, with its tags.
   */
  addVersion(solutionArn: string, version: { readonly name: string; readonly createdAt: number; readonly tags?: readonly { tagKey: string; tagValue: string }[]; readonly status?: string; readonly trainingType?: string }): string {
    const arn = versionArn(solutionArn, this.nextId++);
    const ended = version.status ?? 'ACTIVE';
    this.trainings.set(arn, {
      arn,
      name: version.name,
      solutionArn,
      trainingMode: 'FULL',
      trainingType: version.trainingType ?? 'MANUAL',
      createdAt: version.createdAt,
      timeline: [{ afterSeconds: 0, status: ended }],
      metrics: this.solutions.get(solutionArn)?.metrics ?? DEFAULT_METRICS,
      tags: version.tags,
    });
    return arn;
  }

  /** The training hours a version reports now (DescribeSolutionVersion's trainingHours). */
  trainingHoursOf(arn: string): number {
    return Number(this.describe(this.trainings.get(arn)!).trainingHours);
  }

  /** Whether the trainings were asked to stop, by ARN. */
  wasStopped(arn: string): boolean {
    return this.trainings.get(arn)?.stoppedAt !== undefined;
  }

  /** Whether a solution trains itself every week (CreateSolution's default), as UpdateSolution last left it. */
  trainsAutomatically(solutionArn: string): boolean | undefined {
    const solution = this.solutions.get(solutionArn);
    return solution === undefined ? undefined : this.autoTrainingOf(solution);
  }

  private autoTrainingOf(solution: LocalSolution): boolean {
    const { update } = solution;
    return update !== undefined && this.options.clock() >= update.endsAt ? update.performAutoTraining : solution.performAutoTraining;
  }

  removeAll(): void {
    this.trainings.clear();
    this.solutions.clear();
  }

  answer(operation: string, region: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'CreateSolutionVersion':
        return { solutionVersionArn: this.create(region, body) };
      case 'DescribeSolutionVersion':
        return { solutionVersion: this.describe(this.trainingOf(region, body.solutionVersionArn)) };
      case 'ListSolutionVersions':
        return this.list(region, body);
      case 'StopSolutionVersionCreation':
        this.stop(this.trainingOf(region, body.solutionVersionArn));
        return {};
      case 'UpdateSolution':
        return { solutionArn: this.update(region, body) };
      case 'DescribeSolution':
        return { solution: this.describeSolution(region, body.solutionArn) };
      default: {
        const training = this.trainingOf(region, body.solutionVersionArn);
        if (this.statusNow(training) !== 'ACTIVE') {
          throw new ServiceError('ResourceInUseException', `Solution version ${training.arn} is not ACTIVE`);
        }
        return { solutionVersionArn: training.arn, metrics: training.metrics };
      }
    }
  }

  private update(region: string, body: Record<string, unknown>): string {
    const solution = this.activeSolution(region, body.solutionArn);
    solution.performAutoTraining = this.autoTrainingOf(solution);
    solution.update = {
      startedAt: this.options.clock(),
      endsAt: this.options.clock() + UPDATE_SECONDS * 1000,
      performAutoTraining: body.performAutoTraining === undefined ? solution.performAutoTraining : body.performAutoTraining === true,
    };
    return String(body.solutionArn);
  }

  private describeSolution(region: string, arn: unknown): Record<string, unknown> {
    const solutionArn = String(arn);
    const solution = this.solutions.get(solutionArn);
    if (solution === undefined || solutionArn.split(':')[3] !== region) {
      throw new ServiceError('ResourceNotFoundException', `Could not find solution ${solutionArn}`);
    }
    const { update } = solution;
    const now = this.options.clock();
    return {
      solutionArn,
      status: this.solutionIsActive(solution) ? 'ACTIVE' : 'CREATE IN_PROGRESS',
      performAutoTraining: this.autoTrainingOf(solution),
      ...(update !== undefined
        ? { latestSolutionUpdate: { status: now >= update.endsAt ? 'ACTIVE' : 'CREATE IN_PROGRESS', performAutoTraining: update.performAutoTraining, creationDateTime: update.startedAt / 1000 } }
        : {}),
    };
  }

  private solutionIsActive(solution: LocalSolution): boolean {
    return (this.options.clock() - solution.addedAt) / 1000 >= (solution.activeAfterSeconds ?? 0);
  }

  /** A solution of the region that is ACTIVE, which both training and updating need. */
  private activeSolution(region: string, arn: unknown) {
    const solutionArn = String(arn);
    const solution = this.solutions.get(solutionArn);
    if (solution === undefined || solutionArn.split(':')[3] !== region) {
      throw new ServiceError('ResourceNotFoundException', `Could not find solution ${solutionArn}`);
    }
    if (!this.solutionIsActive(solution)) {
      throw new ServiceError('ResourceInUseException', `Solution ${solutionArn} is in CREATE IN_PROGRESS; it must be ACTIVE`);
    }
    if (solution.update !== undefined && this.options.clock() < solution.update.endsAt) {
      throw new ServiceError('ResourceInUseException', `Solution ${solutionArn} has an update in progress`);
    }
    return solution;
  }

  private create(region: string, body: Record<string, unknown>): string {
    const solutionArn = String(body.solutionArn);
    const solution = this.activeSolution(region, solutionArn);
    const name = body.name === undefined ? `version-${this.nextId}` : String(body.name);
    if (!NAME_PATTERN.test(name)) {
      throw new ServiceError('InvalidInputException', `Invalid solution version name ${name}`);
    }
    if (body.trainingMode !== undefined && !['FULL', 'UPDATE', 'AUTOTRAIN'].includes(String(body.trainingMode))) {
      throw new ServiceError('InvalidInputException', `Invalid trainingMode ${String(body.trainingMode)}`);
    }
    if ([...this.trainings.values()].some((training) => training.solutionArn === solutionArn && training.name === name)) {
      throw new ServiceError('ResourceAlreadyExistsException', `Solution version ${name} already exists`);
    }
    const running = [...this.trainings.values()].filter((training) => training.arn.split(':')[3] === region && RUNNING.has(this.statusNow(training)));
    if (running.length >= TRAINING_LIMIT_PER_REGION) {
      throw new ServiceError('LimitExceededException', `More than ${TRAINING_LIMIT_PER_REGION} resources with PENDING or IN_PROGRESS status`);
    }
    const arn = versionArn(solutionArn, this.nextId++);
    this.trainings.set(arn, {
      arn,
      name,
      solutionArn,
      trainingMode: String(body.trainingMode ?? 'FULL'),
      trainingType: 'MANUAL',
      createdAt: this.options.clock(),
      timeline: solution.timeline ?? LIVE_TRAINING_TIMELINE,
      metrics: solution.metrics ?? DEFAULT_METRICS,
      tags: body.tags,
    });
    return arn;
  }

  private describe(training: Training): Record<string, unknown> {
    const status = this.statusNow(training);
    const inProgressFrom = training.timeline.find((step) => step.status === 'CREATE IN_PROGRESS')?.afterSeconds ?? 0;
    const elapsedSeconds = (Math.min(this.options.clock(), training.stoppedAt ?? Infinity) - training.createdAt) / 1000;
    return {
      solutionVersionArn: training.arn,
      name: training.name,
      solutionArn: training.solutionArn,
      status,
      trainingMode: training.trainingMode,
      trainingType: training.trainingType,
      trainingHours: Math.max(0, Math.round(((Math.min(elapsedSeconds, this.endOf(training)) - inProgressFrom) / 3600) * 1000) / 1000),
      ...(status === 'CREATE FAILED' ? { failureReason: 'Not enough interactions to train' } : {}),
      creationDateTime: training.createdAt / 1000,
      lastUpdatedDateTime: this.options.clock() / 1000,
    };
  }

  private list(region: string, body: Record<string, unknown>): unknown {
    const pageSize = typeof body.maxResults === 'number' ? body.maxResults : 100;
    const start = typeof body.nextToken === 'string' ? Number(body.nextToken) : 0;
    const matching = [...this.trainings.values()].filter(
      (training) => training.arn.split(':')[3] === region && (body.solutionArn === undefined || training.solutionArn === body.solutionArn),
    );
    if (body.solutionArn !== undefined && !this.solutions.has(String(body.solutionArn))) {
      throw new ServiceError('ResourceNotFoundException', `Could not find solution ${String(body.solutionArn)}`);
    }
    const page = matching.slice(start, start + pageSize).map((training) => {
      const { solutionVersionArn, status, trainingMode, trainingType, creationDateTime, lastUpdatedDateTime, failureReason } = this.describe(training);
      return { solutionVersionArn, status, trainingMode, trainingType, creationDateTime, lastUpdatedDateTime, failureReason };
    });
    return { solutionVersions: page, ...(start + pageSize < matching.length ? { nextToken: String(start + pageSize) } : {}) };
  }

  private stop(training: Training): void {
    const status = this.statusNow(training);
    if (!RUNNING.has(status)) {
      throw new ServiceError('ResourceInUseException', `Solution version ${training.arn} is ${status}; only a training in progress can be stopped`);
    }
    training.stoppedAt = this.options.clock();
    training.stoppedFrom = status;
  }

  private trainingOf(region: string, arn: unknown): Training {
    const training = typeof arn === 'string' ? this.trainings.get(arn) : undefined;
    if (training === undefined || training.arn.split(':')[3] !== region) {
      throw new ServiceError('ResourceNotFoundException', `Could not find solution version ${String(arn)}`);
    }
    return training;
  }

  private statusNow(training: Training): string {
    const now = this.options.clock();
    if (training.stoppedAt !== undefined) {
      const stoppingFor = (now - training.stoppedAt) / 1000;
      return training.stoppedFrom === 'CREATE PENDING' || stoppingFor >= STOPPING_SECONDS ? 'CREATE STOPPED' : 'CREATE STOPPING';
    }
    return stepAt(training.timeline, (now - training.createdAt) / 1000).status;
  }

  /** When the training ended, in seconds after its creation. */
  private endOf(training: Training): number {
    const end = training.timeline.find((step) => !RUNNING.has(step.status));
    return end?.afterSeconds ?? Infinity;
  }
}

function versionArn(solutionArn: string, id: number): string {
  return `${solutionArn}/${(0x1a2b3c00 + id).toString(16)}`;
}
