// users.yaml as written: the people notifications can reach, and how to reach everyone else.
import { z } from 'zod';
import { isEmailAddress } from './email-address.ts';
import { receiverNameSchema } from './schema.ts';
import { USER_CHANNELS } from './types.ts';
import { emailPatternProblem } from './user-directory.ts';

/** Slack member ids: `U…` (or `W…` on Enterprise Grid), upper-case letters and digits. */
export const SLACK_MEMBER_ID = /^[UW][A-Z0-9]{2,}$/;

const channels = z.array(z.enum(USER_CHANNELS, { error: (iss) => `${JSON.stringify(iss.input)} is not a channel: use email or slack` }));

const address = z.string().refine(isEmailAddress, { error: (iss) => `${JSON.stringify(iss.input)} is not an email address` });

const memberId = z
  .string()
  .regex(SLACK_MEMBER_ID, { error: (iss) => `${JSON.stringify(iss.input)} is not a Slack member id such as U024BE7LH (profile → ⋮ → Copy member ID)` });

/** One person under `users:`; every key is optional (an empty entry uses the defaults). */
export const userEntrySchema = z
  .strictObject({
    email: address.optional(),
    slack_member_id: memberId.optional(),
    slack_receiver: receiverNameSchema.optional(),
    notify: channels.optional(),
  })
  .nullable();

/** `default:`: how to reach users not listed (or listed without an address). */
export const userDefaultsSchema = z.strictObject({
  email_pattern: z
    .string()
    .superRefine((p, ctx) => {
      const why = emailPatternProblem(p);
      if (why !== null) ctx.addIssue({ code: 'custom', message: why });
    })
    .optional(),
  email_receiver: receiverNameSchema.optional(),
  slack_receiver: receiverNameSchema.optional(),
  notify: channels.optional(),
});

/** users.yaml as written. */
export const userDirectoryFileSchema = z.strictObject({
  default: userDefaultsSchema.nullable().optional(),
  users: z.record(z.string().refine((s) => s.trim() !== '', 'a user name cannot be empty'), userEntrySchema).nullable().optional(),
});

/** users.yaml as written, after the schema. */
export type UserDirectoryFile = z.infer<typeof userDirectoryFileSchema>;
