import * as pulumi from "@pulumi/pulumi";
import { createMocks } from "./mocks";
import { PlannedResource, SECRET_PLACEHOLDER, UNKNOWN_SENTINEL } from "../policy/plan-types";

/* eslint-disable @typescript-eslint/no-require-imports */
// Internal SDK modules: the mock monitor object and the runtime's own store. Reached by path
// because the SDK exports neither; pinned SDK version (see package.json overrides).
const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): MonitorLike;
    waitForRPCs(): Promise<void>;
};
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { logErrorCount: number } };
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    specialSigKey: string;
    specialSecretSig: string;
    specialResourceSig: string;
    specialOutputValueSig: string;
    specialAssetSig: string;
    specialArchiveSig: string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The subset of the generated gRPC request the recorder reads (resource_pb RegisterResourceRequest). */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getProvider(): string;
    getIgnorechangesList(): string[];
    getDeletebeforereplace(): boolean;
    getAliasesList(): { getUrn(): string; getSpec(): unknown }[];
    getAliasurnsList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getReplaceonchangesList(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
    registerResourceOutputs(
        req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined },
        callback: (err: unknown, resp: unknown) => void,
    ): void;
}

export interface RunOptions {
    project: string;
    stack: string;
    /** The config map as the Pulumi runtime holds it: full keys (`groundwork:network`) to strings. */
    config: Record<string, string>;
    /** Keys of `config` whose values are secret. */
    secretKeys?: string[];
    /** The program: creates resources, returns the stack outputs (or a promise of them). */
    program: () => unknown;
    /** Evaluate as `pulumi preview` does (default) or as `pulumi up` does. */
    preview?: boolean;
    /** As a first preview of a new stack: values AWS computes are unknown (see MockOptions). */
    firstPreview?: boolean;
}

export interface RunResult {
    resources: PlannedResource[];
    /** Stack outputs, resolved; secrets replaced by the placeholder. */
    outputs: Record<string, unknown>;
}

/** The program failed (as opposed to invalid config): carries the first error. */
export class ProgramError extends Error {
    constructor(readonly causes: unknown[]) {
        super(causes.map((c) => (c instanceof Error ? c.message : String(c))).join("\n"));
        this.name = "ProgramError";
    }
}

/**
 * Evaluates a Pulumi program under the SDK's mock runtime and records, for every resource, what
 * the engine would receive: the registration request the mock monitor gets carries type, name,
 * parent, inputs, options, dependencies and property dependencies (the `MockResourceArgs` the
 * mocks see lack most of these). Runs are serial: the Pulumi runtime is process-global.
 */
export async function runProgram(options: RunOptions): Promise<RunResult> {
    const region = options.config["aws:region"] ?? "us-east-1";
    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(
        createMocks(region, { unknownComputed: options.firstPreview }),
        options.project,
        options.stack,
        options.preview ?? true,
    );
    state.getStore().logErrorCount = 0;

    const monitor = settings.getMonitor();
    const recorded: PlannedResource[] = [];
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req, callback) => {
        // The URN comes back in the response; record in request order so the plan lists
        // resources in the order the program declared them.
        const entry = recordRequest(req);
        recorded.push(entry);
        return registerResource(req, (err, resp) => {
            if (!err && resp) {
                entry.urn = (resp as { getUrn(): string }).getUrn();
            }
            callback(err, resp);
        });
    };

    // Stack outputs are read from the stack's own registerResourceOutputs request, which still
    // marks secrets (the resolved JavaScript values no longer do).
    let outputs: Record<string, unknown> = {};
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
            outputs = clean(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        registerResourceOutputs(req, callback);
    };

    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            const result = await options.program();
            return result as Record<string, unknown> | undefined;
        });
        await settings.waitForRPCs();
        // Give rejected registrations a turn to surface as unhandled rejections.
        await new Promise((resolve) => setImmediate(resolve));
    } catch (err) {
        failures.push(err);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length === 0 && state.getStore().logErrorCount > 0) {
        failures.push(new Error("the program logged errors (see above)"));
    }
    if (failures.length > 0) {
        // Config errors and argument errors pass through as they are, for the caller to classify.
        if (failures.length === 1 && failures[0] instanceof Error) {
            throw failures[0];
        }
        throw new ProgramError(failures);
    }
    return { resources: recorded, outputs };
}

function recordRequest(req: RegisterRequest): PlannedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
        propertyDependencies[key] = [...value.getUrnsList()];
    });
    const timeouts = req.getCustomtimeouts();
    const customTimeouts: PlannedResource["options"]["customTimeouts"] = {};
    if (timeouts?.getCreate()) customTimeouts.create = timeouts.getCreate();
    if (timeouts?.getUpdate()) customTimeouts.update = timeouts.getUpdate();
    if (timeouts?.getDelete()) customTimeouts.delete = timeouts.getDelete();
    const aliases = [
        ...req.getAliasurnsList(),
        ...req
            .getAliasesList()
            .map(
                (alias) =>
                    alias.getUrn() ||
                    JSON.stringify((alias.getSpec() as { toObject?: () => unknown })?.toObject?.() ?? {}),
            ),
    ];
    const parent = req.getParent();
    const provider = req.getProvider();
    return {
        urn: "",
        type: req.getType(),
        name: req.getName(),
        ...(parent ? { parent } : {}),
        custom: req.getCustom(),
        props: clean(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        options: {
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            ignoreChanges: [...req.getIgnorechangesList()],
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            ...(provider ? { provider } : {}),
            aliases,
            additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
            replaceOnChanges: [...req.getReplaceonchangesList()],
            customTimeouts,
        },
        dependencies: [...new Set(req.getDependenciesList())],
        propertyDependencies,
    };
}

/**
 * Turns serialized property values into plain JSON: secrets become the placeholder (never the
 * value), resource references their URN, output values their value (or unknown), assets a label.
 */
function clean(value: unknown): unknown {
    if (value === UNKNOWN_SENTINEL || value === null || typeof value !== "object") {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(clean);
    }
    const record = value as Record<string, unknown>;
    const sig = record[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) {
        return SECRET_PLACEHOLDER;
    }
    if (sig === rpc.specialResourceSig) {
        return record.urn;
    }
    if (sig === rpc.specialOutputValueSig) {
        if (record.secret) {
            return SECRET_PLACEHOLDER;
        }
        return "value" in record ? clean(record.value) : UNKNOWN_SENTINEL;
    }
    if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) {
        return `[${sig === rpc.specialAssetSig ? "asset" : "archive"} ${String(record.path ?? record.uri ?? "inline")}]`;
    }
    if (pulumi.Resource.isInstance(value)) {
        return "[resource]";
    }
    return Object.fromEntries(
        Object.entries(record)
            .filter(([key]) => key !== "@isPulumiResource")
            .map(([key, v]) => [key, clean(v)]),
    );
}
