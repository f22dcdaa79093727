import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";

/**
 * How every Groundwork alarm and dashboard widget is declared: components call these for their
 * own alarms (parented to themselves), `Monitoring.addAlarm` for the stack's. One module, so every
 * alarm has actions, severity and naming alike, and no component imports a sibling for them.
 */

/** How urgent an alarm is. Critical pages someone now; warning is for the next working day. */
export type AlarmSeverity = "critical" | "warning";

/**
 * One CloudWatch alarm on a single metric. Dimensions are Inputs, so an alarm built from a
 * resource's outputs (`{ DBInstanceIdentifier: db.identifier }`) records the dependency the
 * policy pack uses to decide coverage at preview, when IDs are unknown.
 */
export interface AlarmSpec {
    /** What the alarm means and what to do about it; shown in the notification. */
    description: string;
    /** `critical` or `warning`; prefixed to the alarm name so notifications sort by urgency. */
    severity: AlarmSeverity;
    /** CloudWatch namespace, e.g. `AWS/RDS`. */
    namespace: string;
    /** Metric name, e.g. `CPUUtilization`. */
    metricName: string;
    /** Metric dimensions, e.g. `{ DBInstanceIdentifier: db.identifier }`. */
    dimensions: Record<string, pulumi.Input<string>>;
    /** Statistic: Average, Sum, Minimum, Maximum or SampleCount. */
    statistic: string;
    /** Period of one datapoint in seconds. @default 300 */
    period?: number;
    /** How many periods are evaluated. @default 1 */
    evaluationPeriods?: number;
    /** How many of those must breach. @default evaluationPeriods */
    datapointsToAlarm?: number;
    threshold: number;
    /** E.g. `GreaterThanThreshold`, `LessThanThreshold`. */
    comparisonOperator: string;
    /**
     * What missing data means. @default "notBreaching" — most of these metrics are only
     * published while there is traffic or trouble, and silence is not an incident.
     */
    treatMissingData?: string;
    /**
     * Region to create the alarm in, when the metric lives outside the provider's region
     * (CloudFront and CloudFront-scope WAF publish only in us-east-1, and an alarm evaluates only
     * metrics of its own region). Uses the AWS provider v7 per-resource `region`; the alarm's topic
     * must be in that region too (CloudWatch refuses an SNS action of another region).
     * @default the provider's region
     */
    region?: string;
}

/** A CloudWatch dashboard widget (the JSON structure of a dashboard body), with Input values. */
export interface DashboardWidget {
    /** `metric`, `text` or `alarm`. A string, not a union: a component package's schema has no unions. */
    type: string;
    width?: number;
    height?: number;
    /** The widget's JSON properties (`any`: the component-package analyzer rejects `unknown`). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    properties: pulumi.Input<Record<string, any>>;
}

/**
 * Declares one metric alarm that notifies `topicArn` on ALARM and on OK. Components call this
 * for their own alarms (parented to themselves); `Monitoring.addAlarm` calls it for the
 * stack's. One function, so every alarm in Groundwork has actions, severity and naming alike.
 */
export function createAlarm(
    name: string,
    spec: AlarmSpec,
    topicArn: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): cloudwatch.MetricAlarm {
    return new cloudwatch.MetricAlarm(
        name,
        {
            alarmDescription: `[${spec.severity}] ${spec.description}`,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.statistic,
            period: spec.period ?? 300,
            evaluationPeriods: spec.evaluationPeriods ?? 1,
            datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods ?? 1,
            threshold: spec.threshold,
            comparisonOperator: spec.comparisonOperator,
            treatMissingData: spec.treatMissingData ?? "notBreaching",
            actionsEnabled: true,
            alarmActions: [topicArn],
            okActions: [topicArn],
            tags: { severity: spec.severity },
            region: spec.region,
        },
        opts,
    );
}

/**
 * A metric graph widget over one or more `[namespace, metric, dimension, value, ...]` rows. The
 * dashboard adds the region (see `Monitoring.createDashboard`), so components need not know it.
 */
export function metricWidget(
    title: string,
    metrics: pulumi.Input<string>[][],
    options: { stat?: string; period?: number; width?: number } = {},
): DashboardWidget {
    return {
        type: "metric",
        width: options.width ?? 12,
        height: 6,
        properties: pulumi.output({
            title,
            view: "timeSeries",
            stacked: false,
            stat: options.stat ?? "Average",
            period: options.period ?? 300,
            metrics,
        }),
    };
}
