/**
 * Lambda functions, their URLs, invoke permissions and async failure handling.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { at, UNKNOWN } from "./lib/unknowns";
import { asStr, isPresent, show, strIn } from "./lib/values";
import { envEntries, secretInEnv } from "./lib/credentials";
import { N } from "./next-helpers";

interface EnvSecretsConfig {
    allowedEnvNames?: string[];
}

const iamLambdaEnvSecrets = resourceRule(
    {
        name: "iam-lambda-env-secrets",
        description: "Lambda environment variables hold no credentials, by value shape or by name.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "CKV_AWS_45; CKV_SECRET_2; CKV_SECRET_4; CKV_SECRET_6; CKV_SECRET_9; CKV_SECRET_13",
        remediation:
            "Keep secrets in Secrets Manager or SSM Parameter Store and pass only their ARN or name " +
            "(e.g. DB_SECRET_ARN: secret.arn); the function reads them at start-up. Rotate anything already deployed.",
        configSchema: {
            properties: {
                allowedEnvNames: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Variable names whose values are known not to be secrets.",
                },
            },
        },
    },
    [N.lambdaFunction],
    (r, cfg: EnvSecretsConfig, f) => {
        const vars = envEntries(at(r.props, "environment", "variables"));
        if (vars === UNKNOWN) {
            f.unknown("environment.variables");
            return;
        }
        for (const { name, value } of vars) {
            const v = asStr(value);
            if (typeof v !== "string") {
                continue; // an unknown value is another resource's output (an ARN, a name), not a literal secret
            }
            const hit = secretInEnv(name, v, cfg.allowedEnvNames ?? []);
            if (hit) {
                f.fail(
                    `environment variable ${name} looks like a credential (${hit.what}); anyone who can read the ` +
                        "function's configuration sees it: store it in Secrets Manager and pass its ARN instead.",
                );
            }
        }
    },
);

const encLambdaEnvCmk = resourceRule(
    {
        name: "enc-lambda-env-cmk",
        description: "Lambda functions with environment variables encrypt them with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        family: "encryption",
        source: "CKV_AWS_173",
        remediation:
            "Set kmsKeyArn to a customer-managed key (key.arn) and allow the function's role kms:Decrypt on it.",
    },
    [N.lambdaFunction],
    (r, _cfg, f) => {
        if (isPresent(r.props.kmsKeyArn)) {
            return; // an unknown ARN is the key created in this program
        }
        const vars = envEntries(at(r.props, "environment", "variables"));
        if (vars === UNKNOWN) {
            f.unknown("environment.variables");
            return;
        }
        if (vars.length > 0) {
            f.fail(
                `the function has ${vars.length} environment variable(s) but no kmsKeyArn, so they are encrypted ` +
                    "with the AWS-managed key any role in the account can use: set kmsKeyArn to a customer-managed key.",
            );
        }
    },
);

const netLambdaUrlAuth = resourceRule(
    {
        name: "net-lambda-url-auth",
        description: "Lambda function URLs require IAM authentication.",
        enforcementLevel: "mandatory",
        family: "network",
        source: "Lambda.1; CKV_AWS_258",
        remediation:
            'Set authorizationType "AWS_IAM" and put CloudFront (OAC for Lambda) or API Gateway in front for ' +
            "public traffic.",
    },
    [N.functionUrl],
    (r, _cfg, f) => {
        const auth = r.props.authorizationType;
        f.expect(
            strIn(auth, ["AWS_IAM"]),
            "authorizationType",
            `authorizationType is ${show(auth)}, so anyone on the internet can invoke the function: set it to "AWS_IAM".`,
        );
    },
);

/** Service principals whose invoke permission must name the source resource (aws:SourceArn). */
const SOURCE_ARN_SERVICES = [
    "s3",
    "sns",
    "events",
    "apigateway",
    "logs",
    "elasticloadbalancing",
    "cognito-idp",
    "iot",
    "ses",
    "config",
    "scheduler",
    "cloudwatch",
    "lex",
    "bedrock",
];

/** The service name of a principal such as `logs.eu-west-1.amazonaws.com`, or undefined for an account. */
function servicePrincipal(principal: string): string | undefined {
    const m = /^([a-z0-9-]+)(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/i.exec(principal);
    return m ? m[1].toLowerCase() : undefined;
}

const netLambdaPermission = resourceRule(
    {
        name: "net-lambda-permission",
        description:
            "Lambda invoke permissions are never public, and service principals are scoped to the source " +
            "(account principals are net-resource-principals').",
        enforcementLevel: "mandatory",
        family: "network",
        source: "Lambda.1; CKV_AWS_364",
        remediation:
            "Grant a specific account or service; for a service set sourceArn to the resource that invokes " +
            "(rule.arn, topic.arn, `${api.executionArn}/*/*`) and, for S3, sourceAccount too.",
    },
    [N.lambdaPermission],
    (r, _cfg, f) => {
        const principal = asStr(r.props.principal);
        if (principal === UNKNOWN) {
            f.unknown("principal");
            return;
        }
        if (principal === undefined) {
            return;
        }
        const hasArn = isPresent(r.props.sourceArn);
        const hasAccount = isPresent(r.props.sourceAccount);
        if (principal.trim() === "*") {
            const urlAuth = asStr(r.props.functionUrlAuthType);
            if (urlAuth === UNKNOWN) {
                f.unknown("functionUrlAuthType");
            } else if (urlAuth?.toUpperCase() === "NONE") {
                f.fail(
                    "the permission lets everyone invoke the function URL without authentication: use " +
                        'authorizationType "AWS_IAM" and grant a specific principal.',
                );
            } else if (!hasArn && !hasAccount && !isPresent(r.props.principalOrgId)) {
                f.fail(
                    'principal "*" lets any AWS account invoke the function: grant a specific account or service, ' +
                        "or add principalOrgId / sourceAccount.",
                );
            }
            return;
        }
        const service = servicePrincipal(principal);
        if (service === undefined) {
            return; // an account or role: access is the other side's IAM decision
        }
        if (SOURCE_ARN_SERVICES.includes(service) && !hasArn) {
            f.fail(
                `${principal} may invoke the function for any ${service} resource, in any account: set sourceArn to ` +
                    "the resource that invokes it.",
            );
        } else if (!hasArn && !hasAccount) {
            f.fail(`${principal} may invoke the function from any account: set sourceArn (or at least sourceAccount).`);
        }
        // Bucket ARNs carry no account id, so a deleted bucket name re-created elsewhere would match sourceArn alone.
        if (service === "s3" && !hasAccount) {
            f.fail("s3.amazonaws.com is scoped by bucket ARN only, which carries no account: also set sourceAccount.");
        }
    },
);

// ------------------------------------------------------------------------------------------------

/**
 * Deprecation dates from the AWS Lambda developer guide ("Lambda runtimes": supported and deprecated runtime
 * tables, as published in 2026). After the date AWS stops patching the runtime; creation and updates are
 * blocked some months later.
 */
export const LAMBDA_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
    nodejs: "2016-10-31",
    "nodejs4.3": "2020-03-05",
    "nodejs4.3-edge": "2020-03-05",
    "nodejs6.10": "2019-08-12",
    "nodejs8.10": "2020-03-06",
    "nodejs10.x": "2021-07-30",
    "nodejs12.x": "2023-03-31",
    "nodejs14.x": "2023-12-04",
    "nodejs16.x": "2024-06-12",
    "nodejs18.x": "2025-09-01",
    "nodejs20.x": "2026-04-30",
    "nodejs22.x": "2027-04-30",
    "python2.7": "2021-07-15",
    "python3.6": "2022-07-18",
    "python3.7": "2023-12-04",
    "python3.8": "2024-10-14",
    "python3.9": "2025-12-15",
    "python3.10": "2026-06-30",
    "python3.11": "2026-06-30",
    "python3.12": "2028-10-31",
    "python3.13": "2029-06-30",
    java8: "2024-01-08",
    "java8.al2": "2026-06-30",
    java11: "2026-06-30",
    java17: "2026-06-30",
    java21: "2029-06-30",
    "dotnetcore1.0": "2019-07-27",
    "dotnetcore2.0": "2019-05-30",
    "dotnetcore2.1": "2022-01-05",
    "dotnetcore3.1": "2023-04-03",
    "dotnet5.0": "2022-05-10",
    dotnet6: "2024-11-12",
    dotnet7: "2024-05-14",
    dotnet8: "2026-11-10",
    "ruby2.5": "2021-07-30",
    "ruby2.7": "2023-11-27",
    "ruby3.2": "2026-03-31",
    "ruby3.3": "2027-03-31",
    "go1.x": "2024-01-08",
    provided: "2024-01-08",
    "provided.al2": "2026-06-30",
    "provided.al2023": "2029-06-30",
};

/** The deprecation date of a runtime that is past it on `now`, else undefined. */
export function deprecatedSince(runtime: string, now: Date = new Date()): string | undefined {
    const date = LAMBDA_RUNTIME_DEPRECATION[runtime.toLowerCase()];
    return date !== undefined && new Date(`${date}T00:00:00Z`).getTime() <= now.getTime() ? date : undefined;
}

const resLambdaRuntime = resourceRule(
    {
        name: "res-lambda-runtime",
        description: "Lambda functions use a runtime AWS still supports (patches stop on the deprecation date).",
        enforcementLevel: "advisory",
        family: "resilience",
        source: "Lambda.2; CKV_AWS_363",
        remediation:
            "Move to a supported runtime (nodejs22.x / nodejs24.x, python3.13, java21, provided.al2023) and " +
            "redeploy.",
    },
    [N.lambdaFunction],
    (r, _cfg, f) => {
        const packageType = asStr(r.props.packageType);
        if (packageType === UNKNOWN) {
            f.unknown("packageType");
            return;
        }
        if (packageType?.toLowerCase() === "image") {
            return; // the image brings its own runtime
        }
        const runtime = asStr(r.props.runtime);
        if (runtime === UNKNOWN) {
            f.unknown("runtime");
            return;
        }
        const since = runtime === undefined ? undefined : deprecatedSince(runtime);
        if (since) {
            f.fail(
                `runtime ${runtime} was deprecated on ${since}: AWS no longer patches it; move to a supported runtime.`,
            );
        }
    },
);

interface AsyncFailureConfig {
    exempt?: string[];
}

const resLambdaAsyncFailure = stackRule(
    {
        name: "res-lambda-async-failure",
        description:
            "Lambda functions keep failed asynchronous events: a dead-letter queue or an on-failure destination.",
        enforcementLevel: "advisory",
        family: "resilience",
        source: "CKV_AWS_116",
        remediation:
            "Set deadLetterConfig { targetArn: dlq.arn }, or add an aws.lambda.FunctionEventInvokeConfig " +
            "(functionName: fn.name) with destinationConfig.onFailure.destination; list functions only invoked " +
            "synchronously in exempt.",
        configSchema: {
            properties: {
                exempt: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Logical names of functions invoked only synchronously (API, function URL).",
                },
            },
        },
    },
    (stack, cfg: AsyncFailureConfig, f) => {
        const exempt = cfg.exempt ?? [];
        const invokeConfigs = stack.ofType(N.functionEventInvokeConfig);
        for (const fn of stack.ofType(N.lambdaFunction)) {
            if (exempt.includes(fn.name)) {
                continue;
            }
            // Presence checks: an unknown ARN is the queue or topic created in this program.
            if (isPresent(at(fn.props, "deadLetterConfig", "targetArn"))) {
                continue;
            }
            const name = asStr(fn.props.name);
            const configs = invokeConfigs.filter(
                (c) =>
                    c.deps("functionName").some((d) => d.urn === fn.urn) ||
                    (typeof name === "string" && asStr(c.props.functionName) === name),
            );
            if (configs.some((c) => isPresent(at(c.props, "destinationConfig", "onFailure", "destination")))) {
                continue;
            }
            f.fail(
                `function ${fn.name} drops asynchronous events that fail every retry: set deadLetterConfig.targetArn ` +
                    "or a FunctionEventInvokeConfig with an onFailure destination (or list it in exempt if it is only " +
                    "invoked synchronously).",
                fn.urn,
            );
        }
    },
);

export const functionPolicies: RegisteredPolicy[] = [
    iamLambdaEnvSecrets,
    encLambdaEnvCmk,
    netLambdaUrlAuth,
    netLambdaPermission,
    resLambdaRuntime,
    resLambdaAsyncFailure,
];
