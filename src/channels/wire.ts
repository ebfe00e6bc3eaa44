/**
 * The channel messages as they travel between processes (src/channels/peer.ts, the watchtower server): JSON, with
 * every wei amount, id and nonce as a decimal string (JSON numbers lose precision past 2^53) and addresses in any
 * case. These schemas turn a body back into the types of ./types.ts and ./node.ts, or refuse it with every bad
 * field named (src/net/http.ts `parseBody`); what they let through is then checked by the node itself (signatures,
 * nonces, balances), exactly as in one process.
 */
import { getAddress } from "ethers";
import { z } from "zod";
import { parseBody } from "../net/http";
import type { Acceptance, CooperativeCloseOffer, Proposal, WatchedChannel } from "./node";
import type { Change } from "./transitions";
import type { ChannelState, Lock, Parties, Revocation, Side, SignedState } from "./types";

/** At most a uint256 in decimal. */
export const Uint = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "expected a whole number of wei as a decimal string")
  .transform((s) => BigInt(s))
  .refine((v) => v < 1n << 256n, "does not fit in a uint256");

export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte address")
  .transform((s) => getAddress(s.toLowerCase()));

const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 32 bytes of hex");
/** A signature is checked by recovery; here only its shape is bounded (65 bytes, or "0x" for the funding state). */
const Signature = z.string().regex(/^0x([0-9a-fA-F]{130})?$/, "expected a 65-byte signature in hex");
const SideSchema = z.union([z.literal(0), z.literal(1)]) as z.ZodType<Side>;

/** Locks a state may carry over the wire: more than a node takes anyway (DEFAULT_LOCK_LIMITS). */
const MAX_WIRE_LOCKS = 64;

export const LockSchema: z.ZodType<Lock, z.ZodTypeDef, unknown> = z.object({
  sender: SideSchema,
  amount: Uint,
  expiry: z.number().int().nonnegative().max(0xffffffffff),
  hashlock: Bytes32,
});

export const StateSchema: z.ZodType<ChannelState, z.ZodTypeDef, unknown> = z.object({
  channelId: Uint,
  nonce: Uint,
  depositA: Uint,
  depositB: Uint,
  balanceA: Uint,
  balanceB: Uint,
  locksRoot: Bytes32,
});

export const PartiesSchema: z.ZodType<Parties, z.ZodTypeDef, unknown> = z.object({
  accountA: Address,
  accountB: Address,
  signerA: Address,
  signerB: Address,
});

export const RevocationSchema: z.ZodType<Revocation, z.ZodTypeDef, unknown> = z.object({
  nonce: Uint,
  signature: Signature,
});

export const SignedStateSchema: z.ZodType<SignedState, z.ZodTypeDef, unknown> = z.object({
  state: StateSchema,
  locks: z.array(LockSchema).max(MAX_WIRE_LOCKS),
  signatureA: Signature,
  signatureB: Signature,
});

export const ChangeSchema: z.ZodType<Change, z.ZodTypeDef, unknown> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pay"), from: SideSchema, amount: Uint }),
  z.object({ kind: z.literal("add-lock"), lock: LockSchema }),
  z.object({ kind: z.literal("redeem-lock"), hashlock: Bytes32, preimage: Bytes32 }),
  z.object({ kind: z.literal("cancel-lock"), hashlock: Bytes32 }),
  z.object({ kind: z.literal("deposit"), side: SideSchema, amount: Uint }),
]) as unknown as z.ZodType<Change, z.ZodTypeDef, unknown>;

export const ProposalSchema: z.ZodType<Proposal, z.ZodTypeDef, unknown> = z.object({
  channelId: Uint,
  change: ChangeSchema,
  state: StateSchema,
  locks: z.array(LockSchema).max(MAX_WIRE_LOCKS),
  signature: Signature,
});

export const AcceptanceSchema: z.ZodType<Acceptance, z.ZodTypeDef, unknown> = z.object({
  channelId: Uint,
  signature: Signature,
  revocation: RevocationSchema,
});

export const RevocationMessageSchema = z.object({ channelId: Uint, revocation: RevocationSchema });

export const CloseOfferSchema: z.ZodType<CooperativeCloseOffer, z.ZodTypeDef, unknown> = z.object({
  channelId: Uint,
  balanceA: Uint,
  balanceB: Uint,
  signature: Signature,
});

export const WatchedChannelSchema: z.ZodType<WatchedChannel, z.ZodTypeDef, unknown> = z.object({
  channelId: Uint,
  parties: PartiesSchema,
  clientSide: SideSchema,
  latest: SignedStateSchema,
  revocation: RevocationSchema.nullable(),
});

/** A name of a node in the network: what routes and peer lists are written in. */
export const NodeName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "expected a name like alice (a-z, 0-9, -)");

/** Parses a message body: one 400 listing every bad field with its path (src/net/http.ts). */
export const decode = parseBody;
