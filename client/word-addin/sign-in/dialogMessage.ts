import * as z from 'zod/mini';

const messageSchema = z.union([
  z.object({ accessToken: z.string().check(z.minLength(1)) }),
  z.object({
    error: z.enum(['cancelled', 'refused', 'unavailable']),
    detail: z.optional(z.string()),
  }),
]);

/**
 * What the sign-in dialog sends the task pane through `Office.context.ui.messageParent` (a string, JSON):
 * the access token and nothing else, or why there is none: `cancelled` (the user declined at Microsoft),
 * `refused` (Entra refused the request or the code; `detail` is its error and AADSTS number, never its
 * text), `unavailable` (the server's settings or the login host could not be reached).
 */
export type DialogMessage = z.infer<typeof messageSchema>;

/** Parses a dialog message; anything else is a refusal the pane shows as a failed sign-in. */
export function parseDialogMessage(raw: unknown): DialogMessage {
  try {
    const parsed = messageSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : null);
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through.
  }
  return { error: 'refused', detail: 'bad-message' };
}
