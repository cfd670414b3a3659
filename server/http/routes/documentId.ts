import { randomBytes } from 'node:crypto';

/** A readable, unguessable document id: a slug of the title plus random characters (`budget-2027-k3x9q2`). */
export function newDocumentId(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const suffix = randomBytes(6)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .toLowerCase();
  return `${slug || 'document'}-${suffix}`;
}
