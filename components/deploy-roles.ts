import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import { ArgChecker } from "./internal/args";
import {
    DEPLOY_POLICY_PARTS,
    DeployPolicyPart,
    DeployScope,
    deployPolicyDocuments,
    permissionsBoundaryDocument,
    previewPolicyDocument,
    pushPolicyDocument,
} from "./internal/deploy-policies";
import { physicalName, stackIamPath, stackScopedName, withSuffix } from "./internal/naming";
import { regionProblem } from "./internal/regions";
import { GITHUB_ENVIRONMENT, GITHUB_OIDC_PROVIDER_ARN, GIT_BRANCH, githubRepositoryProblem } from "./internal/rules";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** The issuer without its scheme: the prefix of its condition keys and the name IAM gives its provider. */
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials requests (its default `audience`). */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** Session length bounds IAM accepts for a role's `MaxSessionDuration` (1-12 h). */
export const MAX_SESSION_DURATION_SECONDS = { min: 3600, max: 43200 } as const;

/**
 * Regions a stack touches besides its own, by default: us-east-1, where CloudFront's ACM
 * certificates and web ACLs live and where CloudFront publishes its metrics.
 */
export const DEFAULT_EXTRA_REGIONS = ["us-east-1"] as const;

const ECR_REPOSITORY_ARN = /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/[a-z0-9][a-z0-9._\/-]*$/;
const S3_BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
/** IAM policy names: up to 128 of letters, digits and `+=,.@_-`. */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

/** The OIDC subjects (`sub` claims) each role trusts. */
export interface GithubSubjects {
    push: string[];
    preview: string[];
    deploy: string[];
}

/**
 * The subjects GitHub puts in a job's token (GitHub Docs, OpenID Connect reference, "Example
 * subject claims"): `repo:<repo>:ref:refs/heads/<branch>` for a job on a branch,
 * `repo:<repo>:pull_request` for a pull request job, and `repo:<repo>:environment:<env>` for any job
 * that names an environment, whatever its branch or event. So the deploy role trusts the
 * environment when one is given, and a push or preview job must then not name one.
 */
export function githubSubjects(args: { repository: string; branch?: string; environment?: string }): GithubSubjects {
    const repo = `repo:${args.repository}`;
    const branchRef = `${repo}:ref:refs/heads/${args.branch ?? "main"}`;
    return {
        push: [branchRef],
        preview: [`${repo}:pull_request`, branchRef],
        deploy: args.environment === undefined ? [branchRef] : [`${repo}:environment:${args.environment}`],
    };
}

/** A trust policy for GitHub Actions jobs whose subject is one of `subjects`, with the STS audience. */
export function githubTrustPolicy(providerArn: pulumi.Input<string>, subjects: string[]): unknown {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GithubActions",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE,
                        [`${GITHUB_OIDC_ISSUER}:sub`]: subjects,
                    },
                },
            },
        ],
    };
}

export interface GithubDeployRolesArgs {
    /**
     * The GitHub repository whose workflows may assume the roles, `owner/name` as GitHub spells it
     * (IAM compares the subject case-sensitively). A repository on GitHub's immutable subject
     * format (created or renamed after 18 June 2026, or opted in) is given as
     * `owner@<ownerId>/name@<repositoryId>`. Never a wildcard.
     */
    repository: string;
    /**
     * The branch whose workflows may push images, preview and (without `environment`) deploy.
     * Protect it in GitHub: whoever can push to it can deploy.
     * @default "main"
     */
    branch?: string;
    /**
     * A GitHub environment the deploy job runs in (`environment:` in the workflow). Then the deploy
     * role trusts only `repo:<repository>:environment:<environment>`, so the environment's
     * protection rules (required reviewers, allowed branches) gate every deployment. GitHub sets
     * that subject for every job naming an environment, so the push and preview jobs must not.
     * @default undefined (the deploy role trusts the branch)
     */
    environment?: string;
    /**
     * ARN of the account's existing `token.actions.githubusercontent.com` OIDC provider. An
     * account holds one provider per issuer, so the second stack in an account passes the first's.
     * @default undefined (the component creates the provider)
     */
    oidcProviderArn?: pulumi.Input<string>;
    /** ECR repositories the push role may push images to; it can push to no other. */
    ecrRepositoryArns: pulumi.Input<string>[];
    /**
     * The S3 bucket of a self-managed Pulumi backend (`pulumi login s3://…`). The deploy role
     * reads and writes its objects; the preview role reads them and writes only the lock files
     * (`.pulumi/locks/`). Unset with Pulumi Cloud.
     * @default undefined
     */
    stateBucketArn?: pulumi.Input<string>;
    /**
     * The KMS key of the state bucket (if it uses SSE-KMS) or of an `awskms://` secrets provider:
     * both roles may encrypt and decrypt with it. A key ARN, not an alias. Required for an SSE-KMS
     * state bucket: the preview role is denied every other decryption.
     * @default undefined
     */
    stateKmsKeyArn?: pulumi.Input<string>;
    /**
     * Longest session of each role (3,600-43,200 s); a workflow asks for its length with
     * configure-aws-credentials' `role-duration-seconds`. Raise it only if `pulumi up` runs longer
     * than an hour (a first RDS Multi-AZ creation can take 40 minutes).
     * @default 3600
     */
    maxSessionDurationSeconds?: number;
    /**
     * Name of the permissions boundary policy. Every role the deploy role creates must carry it,
     * so pass `permissionsBoundaryArn` to each component that creates roles.
     * @default "<project>-<stack>-<name>-boundary"
     */
    permissionsBoundaryName?: string;
    /**
     * Regions besides the stack's own in which the deploy role may act (`aws:RequestedRegion`):
     * us-east-1 for CloudFront's certificates, web ACL and metrics; a database's `drRegion`.
     * Replaces the default, so keep us-east-1 in the list when the stack has a CDN.
     * @default ["us-east-1"]
     */
    extraRegions?: string[];
}

/** The raw children of a {@link GithubDeployRoles}. An interface, so that the component package's schema can carry it. */
export interface GithubDeployRolesNodes {
    /** Absent when `oidcProviderArn` is given. */
    oidcProvider?: iam.OpenIdConnectProvider;
    permissionsBoundary: iam.Policy;
    pushRole: iam.Role;
    pushPolicy: iam.RolePolicy;
    previewRole: iam.Role;
    /** The preview reads, state access and data-read denies (next to AWS's ViewOnlyAccess). */
    previewPolicy: iam.Policy;
    previewAttachments: iam.RolePolicyAttachment[];
    deployRole: iam.Role;
    /** The deploy permissions, split for IAM's managed-policy size limit: compute, data, edge, iam. */
    deployPolicies: iam.Policy[];
    deployAttachments: iam.RolePolicyAttachment[];
}

/**
 * Three IAM roles that let GitHub Actions workflows of one repository work on this stack with
 * short-lived credentials (OIDC), instead of long-lived access keys stored as secrets:
 *
 * - **push** (`pushRoleArn`): jobs on `branch` log in to ECR and push images to the given
 *   repositories, nothing else;
 * - **preview** (`previewRoleArn`): pull-request jobs and jobs on `branch` run `pulumi preview`:
 *   AWS's `ViewOnlyAccess`, the configuration reads a refresh makes, the state backend, and explicit
 *   denies on every read that returns data (objects, secret values, parameters, decryption, queue
 *   messages, log events), because anyone who can open a pull request branch can run code with
 *   this role. `pulumi preview` reads resources only with `--refresh`; a refresh that reads a
 *   secret's value (`SecretVersion`) needs the deploy role;
 * - **deploy** (`deployRoleArn`): jobs in `environment` (or on `branch`) run `pulumi up`: the
 *   services the platform uses, in this account and the stack's regions only (buckets named
 *   `<project>-<stack>-…`, secret values under `<project>/<stack>/`; queue, log and user-pool
 *   configuration but not their contents); IAM only under the stack's path (`/<project>/<stack>/`),
 *   roles only with the permissions boundary (`permissionsBoundaryArn`), and explicit denies on
 *   IAM users and access keys, removing boundaries, changing these roles, the boundary or the OIDC
 *   provider, Organizations and the account, ECS Exec shells, and sharing snapshots or images.
 *
 * Each trust policy requires the audience `sts.amazonaws.com` and names exact subjects of this one
 * repository (the pack's `iam-oidc-trust` checks it). The OIDC provider is created unless
 * `oidcProviderArn` names the account's existing one; it has no thumbprints: since July 2023 AWS
 * validates GitHub's certificate against its own trusted CAs and ignores them (AWS notice of
 * 6 July 2023; the provider's `thumbprintLists` is optional and documents that it is unused for
 * GitHub).
 *
 * The deploy role cannot change itself, so this component (and the first deployment) is applied
 * by an administrator; afterwards the pipeline deploys everything else. Components that create
 * roles (`Vpc`, `Database`, `Cluster`, the services) take `permissionsBoundaryArn`, and their roles
 * live under the stack's path; a role the deploy role creates without them is refused by IAM.
 *
 * ```ts
 * const github = new GithubDeployRoles("github", {
 *     repository: "acme/web",
 *     environment: "production",
 *     ecrRepositoryArns: [api.repositoryArn, worker.repositoryArn],
 * });
 * const network = new Vpc("network", { permissionsBoundaryArn: github.permissionsBoundaryArn });
 * ```
 * ```yaml
 * # .github/workflows/deploy.yml
 * permissions: { id-token: write, contents: read }
 * jobs:
 *   deploy:
 *     environment: production
 *     steps:
 *       - uses: aws-actions/configure-aws-credentials@v4
 *         with: { role-to-assume: "<deployRoleArn>", aws-region: us-east-1 }
 * ```
 *
 * **Cost**: none; IAM roles, policies and OIDC providers are free.
 */
export class GithubDeployRoles extends pulumi.ComponentResource {
    /** The OIDC provider the roles trust: the one created here, or `oidcProviderArn`. */
    readonly oidcProviderArn: pulumi.Output<string>;
    /** For the image build job: ECR login and push to `ecrRepositoryArns`. */
    readonly pushRoleArn: pulumi.Output<string>;
    /** For `pulumi preview` in pull requests. */
    readonly previewRoleArn: pulumi.Output<string>;
    /** For `pulumi up`. */
    readonly deployRoleArn: pulumi.Output<string>;
    /** The boundary every role the deploy role creates must carry: pass it to components that create roles. */
    readonly permissionsBoundaryArn: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: GithubDeployRolesNodes;

    private readonly name: string;

    constructor(name: string, args: GithubDeployRolesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:GithubDeployRoles", name, {}, opts);
        this.name = name;
        const cfg = normalizeGithubDeployRolesArgs(name, args);

        const oidcProvider = cfg.oidcProviderArn === undefined ? this.createOidcProvider() : undefined;
        const env = this.environment(cfg, oidcProvider);
        const permissionsBoundary = this.createPermissionsBoundary(cfg, env.scope);
        const push = this.createPushRole(cfg, env);
        const preview = this.createPreviewRole(cfg, env);
        const deploy = this.createDeployRole(cfg, env);

        this.oidcProviderArn = oidcProvider ? oidcProvider.arn : pulumi.output(cfg.oidcProviderArn!);
        this.pushRoleArn = push.role.arn;
        this.previewRoleArn = preview.role.arn;
        this.deployRoleArn = deploy.role.arn;
        this.permissionsBoundaryArn = permissionsBoundary.arn;
        this.nodes = {
            oidcProvider,
            permissionsBoundary,
            pushRole: push.role,
            pushPolicy: push.policy,
            previewRole: preview.role,
            previewPolicy: preview.policy,
            previewAttachments: preview.attachments,
            deployRole: deploy.role,
            deployPolicies: deploy.policies,
            deployAttachments: deploy.attachments,
        };
        this.registerOutputs({
            oidcProviderArn: this.oidcProviderArn,
            pushRoleArn: this.pushRoleArn,
            previewRoleArn: this.previewRoleArn,
            deployRoleArn: this.deployRoleArn,
            permissionsBoundaryArn: this.permissionsBoundaryArn,
        });
    }

    /**
     * No `thumbprintLists`. AWS validates GitHub's certificate with its own trusted root CAs since
     * 6 July 2023 and keeps any thumbprint without using it; CreateOpenIDConnectProvider has taken
     * no thumbprint since late 2024 (aws/aws-sdk#563), and the provider's v7 `thumbprintLists` is
     * optional and says as much for GitHub (iam/openIdConnectProvider.d.ts). Account-wide: every
     * other stack in the account that reuses it breaks when this stack is destroyed.
     */
    private createOidcProvider(): iam.OpenIdConnectProvider {
        return new iam.OpenIdConnectProvider(
            `${this.name}-github`,
            { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE] },
            { parent: this },
        );
    }

    /**
     * The account, partition and region (through this component's provider), and the ARNs the
     * documents name. The provider ARN is derived from the account (IAM names it after the
     * issuer's host) rather than read from the resource, so the trust policies are known at
     * preview and the policy pack checks them before anything exists; the roles wait for the
     * provider through `dependsOn`.
     */
    private environment(
        cfg: NormalizedGithubDeployRolesArgs,
        oidcProvider: iam.OpenIdConnectProvider | undefined,
    ): DeployEnvironment {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = getPartitionOutput({}, { parent: this }).partition;
        const region = getRegionOutput({}, { parent: this }).region;
        const federated =
            cfg.oidcProviderArn ??
            pulumi.interpolate`arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_ISSUER}`;
        const scope = pulumi
            .all([account, partition, region, federated, cfg.stateBucketArn, cfg.stateKmsKeyArn])
            .apply(([a, p, r, provider, stateBucketArn, stateKmsKeyArn]): DeployScope => {
                const iamArn = (resource: string) => `arn:${p}:iam::${a}:${resource}`;
                return {
                    partition: p,
                    account: a,
                    regions: [...new Set([r, ...cfg.extraRegions])],
                    iamPath: cfg.iamPath,
                    namePrefix: cfg.namePrefix,
                    secretPrefix: cfg.secretPrefix,
                    boundaryArn: iamArn(`policy/${cfg.names.boundary}`),
                    protectedArns: [
                        ...[cfg.names.push, cfg.names.preview, cfg.names.deploy].map((n) => iamArn(`role/${n}`)),
                        ...[cfg.names.boundary, cfg.names.preview, ...Object.values(cfg.names.deployPolicies)].map(
                            (n) => iamArn(`policy/${n}`),
                        ),
                        provider,
                    ],
                    stateBucketArn,
                    stateKmsKeyArn,
                };
            });
        return { federated, scope, partition, dependsOn: oidcProvider ? [oidcProvider] : [] };
    }

    private createPermissionsBoundary(cfg: NormalizedGithubDeployRolesArgs, scope: pulumi.Output<DeployScope>) {
        return new iam.Policy(
            `${this.name}-boundary`,
            {
                name: cfg.names.boundary,
                // Constant descriptions: changing one replaces a policy, which its fixed name would block.
                description: "Permissions boundary of the roles the GitHub Actions deploy role creates",
                policy: scope.apply((s) => JSON.stringify(permissionsBoundaryDocument(s))),
            },
            { parent: this },
        );
    }

    private createRole(cfg: NormalizedGithubDeployRolesArgs, env: DeployEnvironment, kind: keyof GithubSubjects) {
        return new iam.Role(
            `${this.name}-${kind}`,
            {
                // A fixed name: workflows name the role (role-to-assume), and the deploy role's own
                // policy must know the ARNs it may not change.
                name: cfg.names[kind],
                description: `GitHub Actions (${kind}) of ${cfg.repository}: ${cfg.subjects[kind].join(", ")}`.slice(
                    0,
                    1000,
                ),
                assumeRolePolicy: pulumi.jsonStringify(githubTrustPolicy(env.federated, cfg.subjects[kind])),
                maxSessionDuration: cfg.maxSessionDurationSeconds,
            },
            { parent: this, dependsOn: env.dependsOn },
        );
    }

    private createPushRole(cfg: NormalizedGithubDeployRolesArgs, env: DeployEnvironment) {
        const role = this.createRole(cfg, env, "push");
        const policy = new iam.RolePolicy(
            `${this.name}-push`,
            {
                role: role.id,
                policy: pulumi.all(cfg.ecrRepositoryArns).apply((arns) => JSON.stringify(pushPolicyDocument(arns))),
            },
            { parent: this },
        );
        return { role, policy };
    }

    private createPreviewRole(cfg: NormalizedGithubDeployRolesArgs, env: DeployEnvironment) {
        const role = this.createRole(cfg, env, "preview");
        const policy = new iam.Policy(
            `${this.name}-preview`,
            {
                name: cfg.names.preview,
                description: "GitHub Actions pulumi preview: configuration reads and state, no data reads",
                policy: env.scope.apply((s) => JSON.stringify(previewPolicyDocument(s))),
            },
            { parent: this },
        );
        // ViewOnlyAccess, not ReadOnlyAccess: the latter reads data (s3:GetObject, DynamoDB items,
        // Kinesis records), which a pull request branch must never reach.
        const attachments = [
            new iam.RolePolicyAttachment(
                `${this.name}-preview-view-only`,
                {
                    role: role.name,
                    policyArn: pulumi.interpolate`arn:${env.partition}:iam::aws:policy/job-function/ViewOnlyAccess`,
                },
                { parent: this },
            ),
            new iam.RolePolicyAttachment(
                `${this.name}-preview`,
                { role: role.name, policyArn: policy.arn },
                { parent: this },
            ),
        ];
        return { role, policy, attachments };
    }

    private createDeployRole(cfg: NormalizedGithubDeployRolesArgs, env: DeployEnvironment) {
        const role = this.createRole(cfg, env, "deploy");
        const documents = env.scope.apply((s) => deployPolicyDocuments(s));
        const policies = DEPLOY_POLICY_PARTS.map(
            (part) =>
                new iam.Policy(
                    `${this.name}-deploy-${part}`,
                    {
                        name: cfg.names.deployPolicies[part],
                        description: `GitHub Actions pulumi up (${part})`,
                        policy: documents.apply((d) => JSON.stringify(d[part])),
                    },
                    { parent: this },
                ),
        );
        const attachments = policies.map(
            (policy, i) =>
                new iam.RolePolicyAttachment(
                    `${this.name}-deploy-${DEPLOY_POLICY_PARTS[i]}`,
                    { role: role.name, policyArn: policy.arn },
                    { parent: this },
                ),
        );
        return { role, policies, attachments };
    }
}

interface DeployEnvironment {
    /** The OIDC provider ARN the trust policies name. */
    federated: pulumi.Input<string>;
    scope: pulumi.Output<DeployScope>;
    partition: pulumi.Output<string>;
    dependsOn: pulumi.Resource[];
}

export interface NormalizedGithubDeployRolesArgs {
    repository: string;
    branch: string;
    environment?: string;
    subjects: GithubSubjects;
    oidcProviderArn?: pulumi.Input<string>;
    ecrRepositoryArns: pulumi.Input<string>[];
    stateBucketArn?: pulumi.Input<string>;
    stateKmsKeyArn?: pulumi.Input<string>;
    maxSessionDurationSeconds: number;
    extraRegions: string[];
    /** `/<project>/<stack>/` (see stackIamPath). */
    iamPath: string;
    /** `<project>-<stack>-`: how the components' stack-scoped bucket names and key aliases start. */
    namePrefix: string;
    /** `<project>/<stack>/`: how the stack's secret names start. */
    secretPrefix: string;
    names: {
        push: string;
        preview: string;
        deploy: string;
        boundary: string;
        deployPolicies: Record<DeployPolicyPart, string>;
    };
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeGithubDeployRolesArgs(
    name: string,
    args: GithubDeployRolesArgs,
): NormalizedGithubDeployRolesArgs {
    const check = new ArgChecker("GithubDeployRoles", name, args);
    const repository = check.rule("repository", args.repository, githubRepositoryProblem(String(args.repository)));
    const branch = check.match(
        "branch",
        args.branch ?? "main",
        GIT_BRANCH,
        "expected a git branch name such as main (no wildcards)",
    );
    const environment =
        args.environment === undefined
            ? undefined
            : check.match(
                  "environment",
                  args.environment,
                  GITHUB_ENVIRONMENT,
                  "expected a GitHub environment name (letters, digits, spaces, . _ -)",
              );
    // An ARN given as a plain string is checked now; an Output is whatever the resource it comes from is.
    const plain = (arg: string, value: unknown, pattern: RegExp, expected: string): void => {
        if (typeof value === "string" && !pattern.test(value)) {
            check.fail(arg, `is ${JSON.stringify(value)}; ${expected}`);
        }
    };
    plain(
        "oidcProviderArn",
        args.oidcProviderArn,
        GITHUB_OIDC_PROVIDER_ARN,
        `expected arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_ISSUER}`,
    );
    if (!Array.isArray(args.ecrRepositoryArns)) {
        check.fail("ecrRepositoryArns", "is required: the ECR repositories the push role may push to ([] for none)");
    }
    args.ecrRepositoryArns.forEach((arn, i) =>
        plain(
            `ecrRepositoryArns[${i}]`,
            arn,
            ECR_REPOSITORY_ARN,
            "expected an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>), no wildcards",
        ),
    );
    plain("stateBucketArn", args.stateBucketArn, S3_BUCKET_ARN, "expected an S3 bucket ARN (arn:aws:s3:::<bucket>)");
    plain(
        "stateKmsKeyArn",
        args.stateKmsKeyArn,
        KMS_KEY_ARN,
        "expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); IAM does not match policies on alias ARNs",
    );
    const maxSessionDurationSeconds = check.int(
        "maxSessionDurationSeconds",
        MAX_SESSION_DURATION_SECONDS.min,
        MAX_SESSION_DURATION_SECONDS.min,
        MAX_SESSION_DURATION_SECONDS.max,
    );
    const extraRegions = args.extraRegions ?? [...DEFAULT_EXTRA_REGIONS];
    extraRegions.forEach((region, i) => {
        const problem = regionProblem(region);
        if (problem !== undefined) {
            check.fail(`extraRegions[${i}]`, problem);
        }
    });

    const base = stackScopedName(name, 64);
    const boundary = check.match(
        "permissionsBoundaryName",
        args.permissionsBoundaryName ?? withSuffix(base, "-boundary", 128),
        POLICY_NAME,
        "expected an IAM policy name (up to 128 letters, digits and +=,.@_-)",
    );
    // Bucket and alias names are physicalName(`<project>-<stack>-<name>`) cut to a limit (36 for a
    // bucket prefix): the stack part, then a hyphen if the cut left room for one.
    const stack = physicalName(`${pulumi.getProject()}-${pulumi.getStack()}`, 36);
    return {
        repository,
        branch,
        environment,
        subjects: githubSubjects({ repository, branch, environment }),
        oidcProviderArn: args.oidcProviderArn,
        ecrRepositoryArns: args.ecrRepositoryArns,
        stateBucketArn: args.stateBucketArn,
        stateKmsKeyArn: args.stateKmsKeyArn,
        maxSessionDurationSeconds,
        extraRegions,
        iamPath: stackIamPath(),
        namePrefix: stack.length < 36 ? `${stack}-` : stack,
        secretPrefix: `${pulumi.getProject()}/${pulumi.getStack()}/`,
        names: {
            push: withSuffix(base, "-push", 64),
            preview: withSuffix(base, "-preview", 64),
            deploy: withSuffix(base, "-deploy", 64),
            boundary,
            deployPolicies: Object.fromEntries(
                DEPLOY_POLICY_PARTS.map((part) => [part, withSuffix(base, `-deploy-${part}`, 128)]),
            ) as Record<DeployPolicyPart, string>,
        },
    };
}
