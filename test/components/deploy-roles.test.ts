import { expect } from "chai";
import * as fc from "fast-check";
import {
    GithubDeployRoles,
    GithubDeployRolesArgs,
    githubSubjects,
    normalizeGithubDeployRolesArgs,
} from "../../components/deploy-roles";
import {
    DATA_READS,
    DeployScope,
    MANAGED_POLICY_MAX_CHARS,
    PolicyDocument,
    PolicyStatement,
    deployPolicyDocuments,
    permissionsBoundaryDocument,
    policySize,
    previewPolicyDocument,
    pushPolicyDocument,
} from "../../components/internal/deploy-policies";
import { githubRepositoryProblem } from "../../components/internal/rules";
import { AL2023_ARM64_AMI_PARAMETER } from "../../components/vpc";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean } from "../policy/fixtures";

const T = {
    provider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

const ACCOUNT = "123456789012";
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/groundwork-test-github-boundary`;
const STACK_ROLES = `arn:aws:iam::${ACCOUNT}:role/groundwork/test/*`;
const REPOS = [
    `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/groundwork-test-api`,
    `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/groundwork-test-worker`,
];
const ARGS: GithubDeployRolesArgs = { repository: "acme/web", ecrRepositoryArns: REPOS };

async function deployRoles(
    args: GithubDeployRolesArgs = ARGS,
    region = "us-east-1",
): Promise<{ rec: Recorded; roles: GithubDeployRoles }> {
    let created: GithubDeployRoles | undefined;
    const rec = await run(
        () => {
            created = new GithubDeployRoles("github", args);
        },
        "test",
        { "aws:region": region },
    );
    return { rec, roles: created! };
}

const parse = (doc: unknown): PolicyDocument => JSON.parse(doc as string);
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const allowed = (doc: PolicyDocument) => doc.Statement.filter((s) => s.Effect === "Allow");
const bySid = (doc: PolicyDocument, sid: string): PolicyStatement => {
    const found = doc.Statement.find((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.not.equal(undefined);
    return found!;
};
const deployDocs = (rec: Recorded) =>
    ["compute", "data", "edge", "iam"].map((part) => parse(rec.one(T.policy, `github-deploy-${part}`).props.policy));
const trustOf = (rec: Recorded, kind: string) => parse(rec.one(T.role, `github-${kind}`).props.assumeRolePolicy);

/** The trust every role must have: this provider, the STS audience, exactly these subjects. */
const trust = (subjects: string[], provider = PROVIDER_ARN) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "GithubActions",
            Effect: "Allow",
            Principal: { Federated: provider },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": subjects,
                },
            },
        },
    ],
});

describe("GithubDeployRoles", () => {
    describe("with the provider it creates (branch main, no environment)", () => {
        let rec: Recorded;
        let roles: GithubDeployRoles;
        before(async () => {
            ({ rec, roles } = await deployRoles());
        });

        it("creates GitHub's OIDC provider for the STS audience, without thumbprints", async () => {
            const provider = rec.one(T.provider, "github-github");
            expect(provider.props).to.deep.equal({
                url: "https://token.actions.githubusercontent.com",
                clientIdLists: ["sts.amazonaws.com"],
            });
            expect(await promiseOf(roles.oidcProviderArn)).to.equal(PROVIDER_ARN);
        });

        it("trusts exactly the audience and this repository's subjects, role by role", () => {
            const main = "repo:acme/web:ref:refs/heads/main";
            expect(trustOf(rec, "push")).to.deep.equal(trust([main]));
            expect(trustOf(rec, "preview")).to.deep.equal(trust(["repo:acme/web:pull_request", main]));
            expect(trustOf(rec, "deploy")).to.deep.equal(trust([main]));
        });

        it("creates the roles after the provider, with fixed stack-scoped names and one-hour sessions", async () => {
            const provider = rec.one(T.provider, "github-github");
            for (const kind of ["push", "preview", "deploy"]) {
                const role = rec.one(T.role, `github-${kind}`);
                expect(role.dependencies, kind).to.include(provider.urn);
                expect(role.props).to.include({ name: `groundwork-test-github-${kind}`, maxSessionDuration: 3600 });
            }
            expect(await promiseOf(roles.deployRoleArn)).to.equal(
                `arn:aws:iam::${ACCOUNT}:role/groundwork-test-github-deploy`,
            );
        });

        it("lets the push role log in to ECR and push to the given repositories only", () => {
            const doc = parse(rec.one(T.rolePolicy, "github-push").props.policy);
            expect(doc.Statement).to.deep.equal([
                { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                {
                    Sid: "PushToTheseRepositories",
                    Effect: "Allow",
                    Action: [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:InitiateLayerUpload",
                        "ecr:UploadLayerPart",
                        "ecr:CompleteLayerUpload",
                        "ecr:PutImage",
                        "ecr:BatchGetImage",
                        "ecr:DescribeImages",
                    ],
                    Resource: REPOS,
                },
            ]);
        });

        it("gives the deploy role no wildcard service on all resources and no NotAction grant", () => {
            for (const doc of deployDocs(rec)) {
                for (const s of allowed(doc)) {
                    expect(s.NotAction, s.Sid).to.equal(undefined);
                    if (list(s.Resource).includes("*")) {
                        for (const action of list(s.Action)) {
                            expect(action, `${s.Sid} on "*"`).not.to.match(/^(\*|[a-z0-9-]+:\*)$/);
                        }
                    }
                }
            }
            const actions = deployDocs(rec).flatMap((d) => allowed(d).flatMap((s) => list(s.Action)));
            for (const broad of ["*", "iam:*", "kms:*", "organizations:*"]) {
                expect(actions).not.to.include(broad);
            }
        });

        it("scopes every Allow to this account's ARNs, and regional ones to the stack's regions", () => {
            for (const s of deployDocs(rec).flatMap(allowed)) {
                for (const resource of list(s.Resource)) {
                    if (resource === "*") {
                        continue;
                    }
                    // S3 and Route 53 ARNs carry no account; AMIs, their snapshots and the AMI parameters are Amazon's.
                    expect(resource, s.Sid).to.match(
                        new RegExp(
                            `^arn:aws:[a-z0-9-]+:[a-z0-9-*]*:${ACCOUNT}:|^arn:aws:(s3|route53):::|` +
                                "^arn:aws:ec2:\\*::(image|snapshot)/\\*$|" +
                                "^arn:aws:ssm:\\*::parameter/aws/service/(ecs|ami-amazon-linux-latest)/\\*$",
                        ),
                    );
                }
                const regional = list(s.Resource).some((r) => /^arn:aws:[a-z0-9-]+:\*:/.test(r));
                if (regional) {
                    expect(s.Condition?.StringEquals?.["aws:RequestedRegion"], s.Sid).to.deep.equal(["us-east-1"]);
                }
            }
        });

        it("lets the deploy role create and change roles only with the boundary, under the stack's path", () => {
            const iamDoc = deployDocs(rec)[3];
            const bounded = bySid(iamDoc, "ChangeRolesOnlyWithTheBoundary");
            expect(bounded.Action).to.have.members([
                "iam:CreateRole",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
            ]);
            expect(bounded.Resource).to.equal(STACK_ROLES);
            expect(bounded.Condition).to.deep.equal({ StringEquals: { "iam:PermissionsBoundary": BOUNDARY_ARN } });

            // Every other IAM write is confined to the stack's path or to service-linked roles of named services.
            const writes = deployDocs(rec)
                .flatMap(allowed)
                .filter((s) => list(s.Action).some((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a)));
            for (const s of writes) {
                for (const resource of list(s.Resource)) {
                    expect(resource, s.Sid).to.match(
                        new RegExp(
                            `^arn:aws:iam::${ACCOUNT}:((role|instance-profile|policy)/groundwork/test/\\*|role/aws-service-role/\\*)$`,
                        ),
                    );
                }
            }
            expect(bySid(iamDoc, "PassStackRolesToServices").Condition).to.deep.equal({
                StringEquals: {
                    "iam:PassedToService": [
                        "ecs-tasks.amazonaws.com",
                        "ec2.amazonaws.com",
                        "vpc-flow-logs.amazonaws.com",
                        "events.amazonaws.com",
                        "rds.amazonaws.com",
                        "monitoring.rds.amazonaws.com",
                        "cloudtrail.amazonaws.com",
                    ],
                },
            });
            expect(Object.keys(bySid(iamDoc, "ServiceLinkedRoles").Condition!.StringEquals)).to.deep.equal([
                "iam:AWSServiceName",
            ]);
        });

        it("lets the deploy role manage the stack's own audit trail, in its regions, and read the account's trails", () => {
            const trail = bySid(deployDocs(rec)[1], "AuditTrail");
            expect(trail.Action).to.include.members([
                "cloudtrail:CreateTrail",
                "cloudtrail:StartLogging",
                "cloudtrail:AddTags",
            ]);
            expect(trail.Resource).to.equal(`arn:aws:cloudtrail:*:${ACCOUNT}:trail/groundwork-test-*`);
            expect(trail.Condition?.StringEquals?.["aws:RequestedRegion"]).to.deep.equal(["us-east-1"]);
            expect(bySid(deployDocs(rec)[0], "ControlPlaneReads").Action).to.include("cloudtrail:DescribeTrails");
        });

        it("lets AWS services create grants on the stack's keys for the resources they encrypt, and no one else", () => {
            const grants = deployDocs(rec)
                .flatMap((doc) => doc.Statement)
                .filter((s) => s.Effect === "Allow" && [s.Action].flat().includes("kms:CreateGrant"));
            expect(grants).to.have.length(1);
            expect(grants[0].Condition).to.deep.include({ Bool: { "kms:GrantIsForAWSResource": true } });
        });

        it("denies users, access keys, removing boundaries, changing itself, Organizations and the account", () => {
            const denies = deployDocs(rec)[3].Statement.filter((s) => s.Effect === "Deny");
            const denied = denies.flatMap((s) => list(s.Action));
            expect(denied).to.include.members([
                "iam:CreateUser",
                "iam:CreateAccessKey",
                "iam:DeleteRolePermissionsBoundary",
                "organizations:*",
                "account:*",
            ]);
            const self = denies.find((s) => s.Sid === "DenyChangingTheseRolesTheBoundaryOrTheProvider")!;
            expect(self.NotAction).to.deep.equal(["iam:Get*", "iam:List*"]);
            expect(self.Resource).to.include.members([
                `arn:aws:iam::${ACCOUNT}:role/groundwork-test-github-push`,
                `arn:aws:iam::${ACCOUNT}:role/groundwork-test-github-preview`,
                `arn:aws:iam::${ACCOUNT}:role/groundwork-test-github-deploy`,
                BOUNDARY_ARN,
                `arn:aws:iam::${ACCOUNT}:policy/groundwork-test-github-deploy-iam`,
                PROVIDER_ARN,
            ]);
        });

        it("attaches the four deploy policies and AWS's ViewOnlyAccess plus its own policy to preview", () => {
            const attachments = rec.ofType(T.attachment);
            const deployRole = rec.one(T.role, "github-deploy").urn;
            expect(
                attachments.filter((a) => a.propertyDependencies.role?.includes(deployRole)).map((a) => a.name),
            ).to.have.members([
                "github-deploy-compute",
                "github-deploy-data",
                "github-deploy-edge",
                "github-deploy-iam",
            ]);
            expect(rec.one(T.attachment, "github-preview-view-only").props.policyArn).to.equal(
                "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
            );
            expect(rec.one(T.attachment, "github-preview").propertyDependencies.policyArn).to.deep.equal([
                rec.one(T.policy, "github-preview").urn,
            ]);
        });

        it("denies the preview role every read that returns data, and grants no write", () => {
            const doc = parse(rec.one(T.policy, "github-preview").props.policy);
            expect(bySid(doc, "DenyDataReads")).to.deep.include({ Effect: "Deny", Resource: "*" });
            expect(bySid(doc, "DenyDataReads").Action).to.include.members([
                "secretsmanager:GetSecretValue",
                "sqs:ReceiveMessage",
                "logs:GetLogEvents",
            ]);
            // Without a state bucket or key: no object reads and no decryption at all.
            expect(bySid(doc, "DenyObjectReadsButState")).to.deep.include({ Resource: "*" });
            expect(bySid(doc, "DenyDecryptButStateKey")).to.deep.include({ Resource: "*" });
            // Only the public AMI parameters the program looks up (the NAT instance's in preview too).
            expect(bySid(doc, "DenyParametersButPublicAmis").NotResource).to.deep.equal([
                "arn:aws:ssm:*::parameter/aws/service/ecs/*",
                "arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/*",
            ]);
            expect(bySid(doc, "PublicAmiParameters").Resource).to.deep.equal(
                bySid(doc, "DenyParametersButPublicAmis").NotResource,
            );
            // The NAT instance's AMI lookup is one of them.
            const natAmi = `arn:aws:ssm:us-east-1::parameter${AL2023_ARM64_AMI_PARAMETER}`;
            const globs = list(bySid(doc, "PublicAmiParameters").Resource).map(
                (g) => new RegExp(`^${g.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`),
            );
            expect(globs.some((g) => g.test(natAmi))).to.equal(true);
            const granted = allowed(doc).flatMap((s) => list(s.Action));
            for (const action of granted) {
                expect(action).to.match(/:(Describe|Get|List|View|CheckCapacity)|^ssm:GetParameters?$/);
                expect(DATA_READS).not.to.include(action);
            }
        });

        it("bounds created roles to workload actions and denies them IAM and role chaining", async () => {
            const boundary = rec.one(T.policy, "github-boundary");
            expect(boundary.props.name).to.equal("groundwork-test-github-boundary");
            expect(await promiseOf(roles.permissionsBoundaryArn)).to.equal(BOUNDARY_ARN);
            const doc = parse(boundary.props.policy);
            expect(bySid(doc, "DenyIamOrganizationsAndRoleChaining")).to.deep.equal({
                Sid: "DenyIamOrganizationsAndRoleChaining",
                Effect: "Deny",
                Action: ["iam:*", "organizations:*", "account:*", "sts:AssumeRole"],
                Resource: "*",
            });
            expect(allowed(doc).flatMap((s) => list(s.Action))).to.include.members([
                "ecr:BatchGetImage",
                "logs:PutLogEvents",
                "secretsmanager:GetSecretValue",
                "ecs:RegisterContainerInstance",
                "ssmmessages:OpenDataChannel",
            ]);
            expect(bySid(doc, "ReadStackSecrets").Resource).to.deep.equal([
                `arn:aws:secretsmanager:*:${ACCOUNT}:secret:groundwork/test/*`,
                `arn:aws:secretsmanager:*:${ACCOUNT}:secret:rds!*`,
            ]);
        });

        it("passes the pack's IAM rules, GitHub trust included", () => {
            const report = evaluate(rec.resources);
            for (const policy of ["iam-no-wildcard", "iam-no-admin-attach", "iam-role-trust", "iam-oidc-trust"]) {
                expectClean(report, policy);
            }
        });
    });

    describe("options", () => {
        it("reuses an existing provider instead of creating one", async () => {
            const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
            const { rec, roles } = await deployRoles({ ...ARGS, oidcProviderArn: existing });
            expect(rec.ofType(T.provider)).to.deep.equal([]);
            expect(trustOf(rec, "push").Statement[0]).to.deep.include({ Principal: { Federated: existing } });
            expect(await promiseOf(roles.oidcProviderArn)).to.equal(existing);
        });

        it("lets only the environment's jobs deploy when an environment is given", async () => {
            const { rec } = await deployRoles({ ...ARGS, branch: "release", environment: "production" });
            expect(trustOf(rec, "deploy")).to.deep.equal(trust(["repo:acme/web:environment:production"]));
            expect(trustOf(rec, "push")).to.deep.equal(trust(["repo:acme/web:ref:refs/heads/release"]));
            expect(trustOf(rec, "preview")).to.deep.equal(
                trust(["repo:acme/web:pull_request", "repo:acme/web:ref:refs/heads/release"]),
            );
        });

        it("trusts GitHub's immutable subject form when the repository is given with its IDs", async () => {
            const { rec } = await deployRoles({ ...ARGS, repository: "acme@123456/web@456789" });
            expect(trustOf(rec, "deploy")).to.deep.equal(trust(["repo:acme@123456/web@456789:ref:refs/heads/main"]));
            expectClean(evaluate(rec.resources), "iam-oidc-trust");
        });

        it("gives both state roles the backend: preview writes only lock files", async () => {
            const bucket = "arn:aws:s3:::acme-pulumi-state";
            const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
            const { rec } = await deployRoles({ ...ARGS, stateBucketArn: bucket, stateKmsKeyArn: key });
            const preview = parse(rec.one(T.policy, "github-preview").props.policy);
            expect(bySid(preview, "StateRead").Resource).to.equal(`${bucket}/*`);
            expect(bySid(preview, "StateWrite")).to.deep.include({
                Action: ["s3:PutObject", "s3:DeleteObject"],
                Resource: `${bucket}/.pulumi/locks/*`,
            });
            expect(bySid(preview, "DenyObjectReadsButState").NotResource).to.deep.equal([`${bucket}/*`]);
            expect(bySid(preview, "DenyDecryptButStateKey").NotResource).to.deep.equal([key]);
            const data = deployDocs(rec)[1];
            expect(bySid(data, "StateWrite").Resource).to.equal(`${bucket}/*`);
            expect(bySid(data, "StateKey").Resource).to.equal(key);
            expectClean(evaluate(rec.resources), "iam-no-wildcard");
        });

        it("acts in the stack's region and the extra ones, and takes a boundary name and session length", async () => {
            const { rec } = await deployRoles(
                {
                    ...ARGS,
                    extraRegions: ["us-east-1", "us-west-2"],
                    permissionsBoundaryName: "workload-boundary",
                    maxSessionDurationSeconds: 7200,
                },
                "eu-west-1",
            );
            const ecs = bySid(deployDocs(rec)[0], "Ecs");
            expect(ecs.Condition).to.deep.equal({
                StringEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1", "us-west-2"] },
            });
            expect(bySid(deployDocs(rec)[3], "ChangeRolesOnlyWithTheBoundary").Condition).to.deep.equal({
                StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/workload-boundary` },
            });
            expect(rec.one(T.role, "github-deploy").props.maxSessionDuration).to.equal(7200);
        });

        it("grants the push role only the ECR login when it is given no repository", async () => {
            const { rec } = await deployRoles({ ...ARGS, ecrRepositoryArns: [] });
            expect(parse(rec.one(T.rolePolicy, "github-push").props.policy).Statement.map((s) => s.Sid)).to.deep.equal([
                "EcrLogin",
            ]);
        });
    });

    describe("arguments", () => {
        const bad: [string, Partial<GithubDeployRolesArgs>][] = [
            ["repository", { repository: "web" }],
            ["repository", { repository: "acme/*" }],
            ["repository", { repository: "*/web" }],
            ["repository", { repository: "acme/we?" }],
            ["repository", { repository: "-acme/web" }],
            ["repository", { repository: "acme@123/web" }],
            ["repository", { repository: "acme/.." }],
            ["branch", { branch: "release/*" }],
            ["branch", { branch: "feature..x" }],
            ["environment", { environment: "prod:eu" }],
            ["oidcProviderArn", { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/accounts.google.com" }],
            [
                "ecrRepositoryArns\\[1\\]",
                { ecrRepositoryArns: [REPOS[0], "arn:aws:ecr:us-east-1:123456789012:repository/*"] },
            ],
            ["stateBucketArn", { stateBucketArn: "acme-pulumi-state" }],
            ["stateKmsKeyArn", { stateKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/pulumi" }],
            ["maxSessionDurationSeconds", { maxSessionDurationSeconds: 900 }],
            ["maxSessionDurationSeconds", { maxSessionDurationSeconds: 86400 }],
            ["permissionsBoundaryName", { permissionsBoundaryName: "a boundary" }],
            ["extraRegions\\[0\\]", { extraRegions: ["us-est-1"] }],
        ];
        for (const [arg, args] of bad) {
            it(`rejects ${JSON.stringify(args)}, naming ${arg.replace(/\\/g, "")}`, () => {
                expect(() => normalizeGithubDeployRolesArgs("github", { ...ARGS, ...args })).to.throw(
                    new RegExp(`^GithubDeployRoles "github": args\\.${arg} `),
                );
            });
        }

        it("accepts an Output for every ARN (checked only when given as a string)", () => {
            const cfg = normalizeGithubDeployRolesArgs("github", {
                ...ARGS,
                ecrRepositoryArns: [Promise.resolve(REPOS[0])],
                stateBucketArn: Promise.resolve("not checked"),
            });
            expect(cfg.ecrRepositoryArns).to.have.length(1);
        });

        it("refuses any repository with an IAM wildcard in it", () => {
            fc.assert(
                fc.property(fc.string({ maxLength: 40 }), fc.constantFrom("*", "?"), fc.nat(40), (s, wildcard, at) => {
                    const i = at % (s.length + 1);
                    expect(githubRepositoryProblem(`${s.slice(0, i)}${wildcard}${s.slice(i)}`)).to.be.a("string");
                }),
            );
        });
    });

    describe("subjects", () => {
        it("names the branch ref, pull requests and the environment as GitHub's tokens do", () => {
            expect(githubSubjects({ repository: "acme/web" })).to.deep.equal({
                push: ["repo:acme/web:ref:refs/heads/main"],
                preview: ["repo:acme/web:pull_request", "repo:acme/web:ref:refs/heads/main"],
                deploy: ["repo:acme/web:ref:refs/heads/main"],
            });
            expect(
                githubSubjects({ repository: "acme/web", branch: "trunk", environment: "prod" }).deploy,
            ).to.deep.equal(["repo:acme/web:environment:prod"]);
        });
    });

    describe("policy sizes", () => {
        // The longest values a real stack could bring: GovCloud's partition, four regions, long names.
        const worst: DeployScope = {
            partition: "aws-us-gov",
            account: ACCOUNT,
            regions: ["ap-southeast-5", "ap-northeast-3", "us-gov-west-1", "eu-central-2"],
            iamPath: `/${"p".repeat(40)}/${"s".repeat(40)}/`,
            namePrefix: `${"x".repeat(36)}`,
            secretPrefix: `${"p".repeat(40)}/${"s".repeat(40)}/`,
            boundaryArn: `arn:aws-us-gov:iam::${ACCOUNT}:policy/${"b".repeat(128)}`,
            protectedArns: Array.from(
                { length: 9 },
                (_, i) => `arn:aws-us-gov:iam::${ACCOUNT}:role/${"r".repeat(63)}${i}`,
            ),
            stateBucketArn: `arn:aws-us-gov:s3:::${"b".repeat(63)}`,
            stateKmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        };

        it("keeps every managed policy within IAM's 6,144 characters", () => {
            const documents = {
                ...deployPolicyDocuments(worst),
                preview: previewPolicyDocument(worst),
                boundary: permissionsBoundaryDocument(worst),
            };
            for (const [part, doc] of Object.entries(documents)) {
                expect(policySize(doc), part).to.be.at.most(MANAGED_POLICY_MAX_CHARS);
            }
            // An inline role policy may hold 10,240: room for about a hundred repositories.
            const repos = Array.from(
                { length: 100 },
                (_, i) => `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/repo-${i}`,
            );
            expect(policySize(pushPolicyDocument(repos))).to.be.at.most(10240);
        });
    });
});
