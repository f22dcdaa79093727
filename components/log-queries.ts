import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { ArgChecker } from "./internal/args";

/**
 * The saved Logs Insights queries of seed 002 ("Logs Insights Queries": errors, API latency over
 * 500 ms, failed requests by status code), written for the services' log format, plus one for the
 * database's slow-query log.
 *
 * The application log format is the seed's: winston's JSON format on stdout (seed 002, "Application
 * Logs"), one JSON object per line, which Logs Insights parses into fields by itself (`level`,
 * `message`). The request fields are an assumption this project makes, as the seed names no request
 * logger: each request is logged with `statusCode` (number), `durationMs` (number), `method` and
 * `path`. The seed's own latency query reads `@duration`, which only Lambda reports logs carry; an
 * ECS service has no such field. A service logging other names needs these queries edited.
 */
export const LOG_QUERIES = {
    /** Seed 002 "Find errors": error lines, grouped by message, most frequent first. */
    errors: [
        "fields @timestamp, @logStream, @message",
        '| filter level = "error" or @message like /ERROR/',
        "| stats count() as occurrences by @message",
        "| sort occurrences desc",
        "| limit 100",
    ].join("\n"),
    /** Seed 002 "API latency", for requests slower than 500 ms: count, average, p95 and maximum per path. */
    slowRequests: [
        "fields @timestamp, method, path, statusCode, durationMs",
        "| filter durationMs > 500",
        "| stats count() as requests, avg(durationMs) as avgMs, pct(durationMs, 95) as p95Ms, max(durationMs) as maxMs by method, path",
        "| sort p95Ms desc",
        "| limit 100",
    ].join("\n"),
    /** Seed 002 "Failed requests": responses with status 400 or above, counted by status code. */
    failedRequests: [
        "fields @timestamp, statusCode, method, path",
        "| filter statusCode >= 400",
        "| stats count() as requests by statusCode",
        "| sort requests desc",
    ].join("\n"),
    /**
     * Statements slower than `log_min_duration_statement` (1000 ms, seed 002): RDS PostgreSQL logs
     * them as `<prefix>LOG:  duration: 1234.567 ms  statement: …`; the slowest first.
     */
    databaseSlowQueries: [
        "fields @timestamp, @message",
        "| filter @message like /duration: [0-9.]+ ms/",
        '| parse @message "duration: * ms" as durationMs',
        "| sort durationMs desc",
        "| limit 100",
    ].join("\n"),
} as const;

/** Logs Insights queries a saved query definition over at most this many log groups. */
export const MAX_QUERY_LOG_GROUPS = 50;

export interface LogQueriesArgs {
    /**
     * The services' log groups (each `FargateService`'s `logGroupName`): the errors, slow-requests and
     * failed-requests queries run over all of them. Their count decides whether those queries exist,
     * so it must be known here (the names themselves may be Outputs).
     * @default []
     */
    serviceLogGroupNames?: pulumi.Input<string>[];
    /**
     * The database's PostgreSQL log group (`Database`'s `postgresqlLogGroupName`), for the
     * slow-query definition. No definition when unset.
     * @default undefined
     */
    databaseLogGroupName?: pulumi.Input<string>;
    /**
     * Folder of the saved queries in the Logs Insights console (a definition named `a/b` is query
     * `b` in folder `a`), so each stack's queries sit together.
     * @default "<project>-<stack>"
     */
    folder?: string;
}

/** The raw children of a {@link LogQueries}. An interface, so that the component package's schema can carry it. */
export interface LogQueriesNodes {
    /** Keyed like {@link LOG_QUERIES}; only the definitions whose log groups were given. */
    definitions: Record<string, cloudwatch.QueryDefinition>;
}

/**
 * Saved CloudWatch Logs Insights queries (query definitions) for a stack: the three of seed 002
 * over the services' log groups and one over the database's slow-query log. Query strings and the
 * log format they assume are in {@link LOG_QUERIES}.
 *
 * ```ts
 * new LogQueries("queries", {
 *     serviceLogGroupNames: services.map((s) => s.logGroupName),
 *     databaseLogGroupName: database.postgresqlLogGroupName,
 * });
 * ```
 *
 * **Cost**: saved definitions are free; running a query costs $0.005 per GB of logs scanned.
 */
export class LogQueries extends pulumi.ComponentResource {
    /** The query definitions' IDs, keyed like {@link LOG_QUERIES}. */
    readonly queryDefinitionIds: Record<string, pulumi.Output<string>>;
    /** The raw children, for advanced use. */
    readonly nodes: LogQueriesNodes;

    constructor(name: string, args: LogQueriesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:LogQueries", name, {}, opts);
        const cfg = normalizeLogQueriesArgs(name, args);

        const definitions: Partial<Record<keyof typeof LOG_QUERIES, cloudwatch.QueryDefinition>> = {};
        const define = (key: keyof typeof LOG_QUERIES, title: string, logGroupNames: pulumi.Input<string>[]) => {
            definitions[key] = new cloudwatch.QueryDefinition(
                `${name}-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
                { name: `${cfg.folder}/${title}`, logGroupNames, queryString: LOG_QUERIES[key] },
                { parent: this },
            );
        };
        if (cfg.serviceLogGroupNames.length > 0) {
            define("errors", "Errors", cfg.serviceLogGroupNames);
            define("slowRequests", "Slow requests (over 500 ms)", cfg.serviceLogGroupNames);
            define("failedRequests", "Failed requests by status code", cfg.serviceLogGroupNames);
        }
        if (cfg.databaseLogGroupName !== undefined) {
            define("databaseSlowQueries", "Database slow queries", [cfg.databaseLogGroupName]);
        }

        this.queryDefinitionIds = Object.fromEntries(
            Object.entries(definitions).map(([key, d]) => [key, d.queryDefinitionId]),
        );
        this.nodes = { definitions };
        this.registerOutputs({ queryDefinitionIds: this.queryDefinitionIds });
    }
}

interface NormalizedLogQueriesArgs {
    serviceLogGroupNames: pulumi.Input<string>[];
    databaseLogGroupName?: pulumi.Input<string>;
    folder: string;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeLogQueriesArgs(name: string, args: LogQueriesArgs): NormalizedLogQueriesArgs {
    const check = new ArgChecker("LogQueries", name, args);
    const serviceLogGroupNames = args.serviceLogGroupNames ?? [];
    if (serviceLogGroupNames.length > MAX_QUERY_LOG_GROUPS) {
        check.fail(
            "serviceLogGroupNames",
            `lists ${serviceLogGroupNames.length} log groups; a saved query covers at most ${MAX_QUERY_LOG_GROUPS}`,
        );
    }
    if (serviceLogGroupNames.length === 0 && args.databaseLogGroupName === undefined) {
        check.fail("serviceLogGroupNames", "is empty and no databaseLogGroupName is given: there is nothing to query");
    }
    const folder = check.match(
        "folder",
        args.folder ?? `${pulumi.getProject()}-${pulumi.getStack()}`,
        /^[^/\s][^/]{0,199}$/,
        "expected a folder name without slashes",
    );
    return { serviceLogGroupNames, databaseLogGroupName: args.databaseLogGroupName, folder };
}
