import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sqs from "@pulumi/aws/sqs";
import {
    ComponentArgError,
    denyInsecureTransport,
    policyDocument,
    requireInt,
    stackScopedName,
    statefulOptions,
} from "./common";
import { AlarmRoutes, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";

/** SQS's longest retention, 14 days: the dead-letter queue keeps failed messages as long as SQS allows. */
export const MAX_RETENTION_SECONDS = 14 * 24 * 3600;

/** What SQS accepts as a queue's message retention (60 s - 14 days). */
export const MESSAGE_RETENTION_SECONDS = { min: 60, max: MAX_RETENTION_SECONDS } as const;

/** Bounds of the oldest-message-age alarm threshold; the stack config checks the same ones. */
export const OLDEST_MESSAGE_AGE_ALARM_SECONDS = { min: 60, max: MAX_RETENTION_SECONDS } as const;

/**
 * The rule between the two: the age alarm must fire before messages expire. Returns what is wrong
 * (a phrase to follow the threshold's value), or undefined. The component and the stack config
 * both report it from here.
 */
export function oldestMessageAgeProblem(
    oldestMessageAgeAlarmSeconds: number,
    messageRetentionSeconds: number,
): string | undefined {
    return oldestMessageAgeAlarmSeconds >= messageRetentionSeconds
        ? `is not below messageRetentionSeconds (${messageRetentionSeconds}): messages would expire before the alarm fires`
        : undefined;
}

export interface QueueArgs {
    /**
     * How long a received message stays invisible to other consumers (0-43,200 s). Set it to at
     * least 6 × the worker's expected processing time, or slow messages are processed twice.
     * @default 300
     */
    visibilityTimeoutSeconds?: number;
    /**
     * Receives after which a message moves to the dead-letter queue (1-1,000).
     * @default 5
     */
    maxReceiveCount?: number;
    /**
     * How long an unconsumed message is kept (60 s - 14 days).
     * @default 345600 (4 days)
     */
    messageRetentionSeconds?: number;
    /**
     * Long polling: how long a receive waits for messages (0-20 s). 20 cuts empty receives, which
     * are billed like any request.
     * @default 20
     */
    receiveWaitTimeSeconds?: number;
    /**
     * Age of the oldest message (s) above which the warning alarm fires: consumers are falling
     * behind. Must be below `messageRetentionSeconds`, so the alarm fires before messages expire.
     * @default 900
     */
    oldestMessageAgeAlarmSeconds?: number;
    /**
     * A customer-managed KMS key for SSE-KMS instead of SQS-managed encryption (SSE-SQS). Every
     * producer service (SNS, EventBridge, S3 notifications) then needs a grant on that key.
     * @default undefined (SSE-SQS)
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * ARN of the SNS topic for the queue's alarms (DLQ not empty: critical; oldest message too old:
     * warning). No alarms when absent.
     * @default undefined
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect both queues (`protect` and `retainOnDelete`): deleting one loses the messages in it.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Queue}. An interface, so that the component package's schema can carry it. */
export interface QueueNodes {
    queue: sqs.Queue;
    deadLetterQueue: sqs.Queue;
    redriveAllowPolicy: sqs.RedriveAllowPolicy;
    policies: sqs.QueuePolicy[];
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * An SQS standard queue with its dead-letter queue: messages received `maxReceiveCount` times go
 * to the DLQ, which keeps them 14 days and accepts them only from this queue (redrive allow
 * policy); long polling; both queues encrypted and reachable only over TLS. With an alarm topic:
 * a critical alarm as soon as the DLQ holds a message and a warning when the oldest message of
 * the queue gets old.
 *
 * Encryption defaults to SSE-SQS, not a customer-managed key: these queues carry job and event
 * references, not the data itself, and SSE-SQS encrypts them at rest with no key policy for
 * producers to need, no KMS request charges and no key to lose. Pass `kmsKeyArn` where a queue
 * must carry data under a key you control.
 *
 * ```ts
 * const jobs = new Queue("jobs", { visibilityTimeoutSeconds: 300, alarmTopicArn: monitoring.alarmTopicArn });
 * const events = new Queue("events", { visibilityTimeoutSeconds: 60, alarmTopicArn: monitoring.alarmTopicArn });
 * ```
 *
 * **Cost**: $0.40 per million requests (first million a month free; a long-polling worker makes
 * ≈ 130,000 empty receives a month) + alarms $0.10/month each (2).
 */
export class Queue extends pulumi.ComponentResource {
    readonly queueUrl: pulumi.Output<string>;
    readonly queueArn: pulumi.Output<string>;
    /** The CloudWatch dimension `QueueName`. */
    readonly queueName: pulumi.Output<string>;
    readonly deadLetterQueueUrl: pulumi.Output<string>;
    readonly deadLetterQueueArn: pulumi.Output<string>;
    /** Widgets for the stack dashboard. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: QueueNodes;

    private readonly name: string;

    constructor(name: string, args: QueueArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Queue", name, {}, opts);
        this.name = name;
        const cfg = normalizeQueueArgs(name, args);

        const { queue, deadLetterQueue } = this.createQueues(cfg);
        const redriveAllowPolicy = this.createRedriveAllowPolicy(queue, deadLetterQueue);
        const policies = [queue, deadLetterQueue].map((q, i) =>
            this.createTlsOnlyPolicy(i === 0 ? name : `${name}-dlq`, q),
        );
        const alarms = cfg.alarmRoutes
            ? this.createAlarms(queue, deadLetterQueue, cfg.oldestMessageAgeAlarmSeconds, cfg.alarmRoutes)
            : [];

        this.queueUrl = queue.url;
        this.queueArn = queue.arn;
        this.queueName = queue.name;
        this.deadLetterQueueUrl = deadLetterQueue.url;
        this.deadLetterQueueArn = deadLetterQueue.arn;
        this.dashboardWidgets = this.createWidgets(queue, deadLetterQueue);
        this.nodes = { queue, deadLetterQueue, redriveAllowPolicy, policies, alarms };
        this.registerOutputs({
            queueUrl: this.queueUrl,
            queueArn: this.queueArn,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
        });
    }

    private createQueues(cfg: NormalizedQueueArgs): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } {
        const encryption = cfg.kmsKeyArn
            ? // Reusing a data key for 5 minutes keeps KMS requests (and their cost) low.
              { kmsMasterKeyId: cfg.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
            : { sqsManagedSseEnabled: true };

        // Name prefixes: readable in the console, unique per stack, and a replacement can be
        // created before the old queue is deleted.
        const deadLetterQueue = new sqs.Queue(
            `${this.name}-dlq`,
            {
                namePrefix: `${stackScopedName(`${this.name}-dlq`, 50)}-`,
                messageRetentionSeconds: MAX_RETENTION_SECONDS,
                ...encryption,
            },
            statefulOptions(this, cfg.protect),
        );
        const queue = new sqs.Queue(
            this.name,
            {
                namePrefix: `${stackScopedName(this.name, 50)}-`,
                visibilityTimeoutSeconds: cfg.visibilityTimeoutSeconds,
                messageRetentionSeconds: cfg.messageRetentionSeconds,
                receiveWaitTimeSeconds: cfg.receiveWaitTimeSeconds,
                redrivePolicy: pulumi.jsonStringify({
                    deadLetterTargetArn: deadLetterQueue.arn,
                    maxReceiveCount: cfg.maxReceiveCount,
                }),
                ...encryption,
            },
            statefulOptions(this, cfg.protect),
        );
        return { queue, deadLetterQueue };
    }

    /**
     * A separate resource: inline, the DLQ's allow policy and the queue's redrive policy would
     * reference each other.
     */
    private createRedriveAllowPolicy(queue: sqs.Queue, deadLetterQueue: sqs.Queue): sqs.RedriveAllowPolicy {
        return new sqs.RedriveAllowPolicy(
            `${this.name}-dlq-allow`,
            {
                queueUrl: deadLetterQueue.url,
                redriveAllowPolicy: pulumi.jsonStringify({
                    redrivePermission: "byQueue",
                    sourceQueueArns: [queue.arn],
                }),
            },
            { parent: this },
        );
    }

    private createWidgets(queue: sqs.Queue, deadLetterQueue: sqs.Queue): DashboardWidget[] {
        return [
            metricWidget(
                `${this.name}: messages visible`,
                [
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.name],
                    ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", deadLetterQueue.name],
                ],
                { stat: "Maximum" },
            ),
            metricWidget(
                `${this.name}: oldest message age (s)`,
                [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue.name]],
                { stat: "Maximum" },
            ),
        ];
    }

    private createTlsOnlyPolicy(policyName: string, queue: sqs.Queue): sqs.QueuePolicy {
        return new sqs.QueuePolicy(
            `${policyName}-policy`,
            {
                queueUrl: queue.url,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [denyInsecureTransport("sqs:*", queue.arn)],
                }),
            },
            { parent: this },
        );
    }

    private createAlarms(
        queue: sqs.Queue,
        deadLetterQueue: sqs.Queue,
        ageThreshold: number,
        routes: AlarmRoutes,
    ): cloudwatch.MetricAlarm[] {
        return [
            createAlarm(
                `${this.name}-dlq-not-empty`,
                {
                    description: `The dead-letter queue of ${this.name} holds messages: messages failed repeatedly and are not being processed. Inspect them, fix the cause, then redrive them to the queue.`,
                    severity: "critical",
                    namespace: "AWS/SQS",
                    metricName: "ApproximateNumberOfMessagesVisible",
                    dimensions: { QueueName: deadLetterQueue.name },
                    statistic: "Maximum",
                    period: 300,
                    threshold: 0,
                    comparisonOperator: "GreaterThanThreshold",
                },
                routes,
                { parent: this },
            ),
            createAlarm(
                `${this.name}-oldest-message-age`,
                {
                    description: `The oldest message in ${this.name} has waited over ${ageThreshold} s for 10 minutes: consumers are down or falling behind, and messages expire after the retention period. Check the workers and scale them out.`,
                    severity: "warning",
                    namespace: "AWS/SQS",
                    metricName: "ApproximateAgeOfOldestMessage",
                    dimensions: { QueueName: queue.name },
                    statistic: "Maximum",
                    period: 300,
                    evaluationPeriods: 2,
                    threshold: ageThreshold,
                    comparisonOperator: "GreaterThanThreshold",
                },
                routes,
                { parent: this },
            ),
        ];
    }
}

interface NormalizedQueueArgs {
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
    messageRetentionSeconds: number;
    receiveWaitTimeSeconds: number;
    oldestMessageAgeAlarmSeconds: number;
    kmsKeyArn?: pulumi.Input<string>;
    alarmRoutes?: AlarmRoutes;
    protect: boolean;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeQueueArgs(name: string, args: QueueArgs): NormalizedQueueArgs {
    const int = (arg: keyof QueueArgs, fallback: number, min: number, max: number) =>
        requireInt("Queue", name, arg, (args[arg] as number | undefined) ?? fallback, min, max);
    const messageRetentionSeconds = int(
        "messageRetentionSeconds",
        4 * 24 * 3600,
        MESSAGE_RETENTION_SECONDS.min,
        MESSAGE_RETENTION_SECONDS.max,
    );
    const oldestMessageAgeAlarmSeconds = int(
        "oldestMessageAgeAlarmSeconds",
        900,
        OLDEST_MESSAGE_AGE_ALARM_SECONDS.min,
        OLDEST_MESSAGE_AGE_ALARM_SECONDS.max,
    );
    if (args.criticalAlarmTopicArn !== undefined && args.alarmTopicArn === undefined) {
        throw new ComponentArgError(
            "Queue",
            name,
            "criticalAlarmTopicArn",
            "is set without alarmTopicArn; the warnings need a route too (set alarmTopicArn, or neither for no alarms)",
        );
    }
    const problem = oldestMessageAgeProblem(oldestMessageAgeAlarmSeconds, messageRetentionSeconds);
    if (problem) {
        throw new ComponentArgError(
            "Queue",
            name,
            "oldestMessageAgeAlarmSeconds",
            `is ${oldestMessageAgeAlarmSeconds}; it ${problem}`,
        );
    }
    return {
        visibilityTimeoutSeconds: int("visibilityTimeoutSeconds", 300, 0, 43200),
        maxReceiveCount: int("maxReceiveCount", 5, 1, 1000),
        messageRetentionSeconds,
        receiveWaitTimeSeconds: int("receiveWaitTimeSeconds", 20, 0, 20),
        oldestMessageAgeAlarmSeconds,
        kmsKeyArn: args.kmsKeyArn,
        alarmRoutes: args.alarmTopicArn ? alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn) : undefined,
        protect: args.protect ?? false,
    };
}
