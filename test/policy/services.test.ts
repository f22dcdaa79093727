import { expect } from "chai";
import { isRootUser } from "../../policy/rules/services";
import { credentialShape, entropy, secretInEnv } from "../../policy/rules/lib/credentials";
import { evaluate, expectClean, expectDeferred, expectViolation, res, T, U } from "./fixtures";
import { ecsService, goodContainer } from "./fixtures-next";

const env = (name: string, value: string) => goodContainer({ environment: [{ name, value }] });

describe("policy family: services (ECS)", () => {
    describe("iam-ecs-nonroot", () => {
        it("passes a container with a non-root uid:gid", () =>
            expectClean(evaluate(ecsService().all), "iam-ecs-nonroot"));
        it("flags root, uid 0 and an unset user", () => {
            const report = evaluate(
                ecsService("a", [
                    goodContainer({ name: "r", user: "root" }),
                    goodContainer({ name: "z", user: "0:0" }),
                    goodContainer({ name: "n", user: undefined }),
                ]).all,
            );
            expectViolation(report, "iam-ecs-nonroot", 'container r runs as user "root"');
            expectViolation(report, "iam-ecs-nonroot", 'container z runs as user "0:0"');
            expectViolation(report, "iam-ecs-nonroot", "container n sets no user");
        });
        it("defers unknown container definitions", () => {
            const { taskDefinition } = ecsService();
            taskDefinition.props.containerDefinitions = U;
            expectDeferred(evaluate([taskDefinition]), "iam-ecs-nonroot", "containerDefinitions");
        });
    });

    describe("iam-ecs-env-values", () => {
        it("passes plain configuration values", () => expectClean(evaluate(ecsService().all), "iam-ecs-env-values"));
        it("flags a URL with a password, an access key id, a private key, a JWT and a random token", () => {
            const containers = [
                env("DATABASE_URL", "postgres://app:hunter2@db.internal:5432/app"),
                env("AWS_ID", "AKIAIOSFODNN7EXAMPLE"),
                env("TLS", "-----BEGIN RSA PRIVATE KEY-----\nMIIE..."),
                env("SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                env("STRIPE", "sk9Lq2ZtX4vB7nR1mW8pK3yH6dF0gJ5sA2cE4uI"),
            ].map((c, i) => ({ ...c, name: `c${i}` }));
            const report = evaluate(ecsService("a", containers).all);
            for (const what of [
                "embedded password",
                "AWS access key id",
                "private key block",
                "JSON Web Token",
                "long random token",
            ]) {
                expectViolation(report, "iam-ecs-env-values", what);
            }
        });
        it("defers an unknown environment list", () => {
            const { taskDefinition } = ecsService("a", []);
            taskDefinition.props.containerDefinitions = [goodContainer({ environment: U })];
            expectDeferred(evaluate([taskDefinition]), "iam-ecs-env-values", "container app.environment");
        });
        it("tells tokens from hashes, names and references", () => {
            expect(credentialShape("3f786850e387550fdab836ed7e6dc881de23001b")).to.equal(undefined); // a commit SHA (hex)
            expect(credentialShape("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2")).to.equal(undefined);
            expect(credentialShape("https://api.example.com/v1")).to.equal(undefined);
            expect(secretInEnv("DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x")).to.equal(undefined);
            expect(secretInEnv("API_KEY", "abc")?.kind).to.equal("name");
            expect(secretInEnv("API_KEY", "abc", ["API_KEY"])).to.equal(undefined);
            expect(entropy("aaaa")).to.equal(0);
        });
    });

    describe("iam-ecs-task-role-per-service", () => {
        it("passes services with their own task roles", () =>
            expectClean(
                evaluate([...ecsService("api").all, ...ecsService("worker").all]),
                "iam-ecs-task-role-per-service",
            ));
        it("flags two services whose task definitions share a task role", () => {
            const api = ecsService("api");
            const worker = ecsService("worker");
            worker.taskDefinition.propertyDependencies.taskRoleArn = [api.taskRole.urn];
            expectViolation(
                evaluate([...api.all, ...worker.all]),
                "iam-ecs-task-role-per-service",
                "share one task role",
                worker.service.urn,
            );
        });
        it("defers a service whose task definition is unknown and not in the stack", () => {
            const lone = res(T.service, "lone", { taskDefinition: U });
            expectDeferred(evaluate([lone]), "iam-ecs-task-role-per-service", "lone.taskDefinition");
        });
        it("matches a literal family and root users", () => {
            const api = ecsService("api");
            const twin = res(T.service, "twin", { taskDefinition: "api:3" });
            expectViolation(
                evaluate([...api.all, twin]),
                "iam-ecs-task-role-per-service",
                "share one task role",
                twin.urn,
            );
            expect([isRootUser("root:root"), isRootUser("0"), isRootUser("1000"), isRootUser("app")]).to.deep.equal([
                true,
                true,
                false,
                false,
            ]);
        });
    });
});
