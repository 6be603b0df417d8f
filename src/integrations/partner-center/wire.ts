/**
 * Partner Center's response shapes (zod) and their mapping onto the core's types. A response that does
 * not match is refused as a whole: a half-read customer page would look like customers disappearing.
 */
import { z } from 'zod';
import type { Customer, IndirectProvider } from '../../core/relationships/partner-center.port.ts';
import { MalformedResponseError, type Service } from './call-errors.ts';

const text = z.union([z.string(), z.number()]).transform(String);

export const relationshipRequestSchema = z.object({ url: z.string().min(1) });

export const relationshipsSchema = z.object({
  items: z.array(z.object({ id: z.string().min(1), name: z.string().default(''), mpnId: text.optional(), state: z.string().optional() })),
});

const customerSchema = z.object({
  id: z.string().min(1),
  companyProfile: z.object({ tenantId: z.string().min(1).optional(), domain: z.string().default(''), companyName: z.string().default('') }),
  relationshipToPartner: z.string().default('none'),
  associatedPartnerId: z.string().min(1).nullish(),
});

const linkSchema = z.object({
  uri: z.string().min(1),
  headers: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
});

/** `links` of a paged collection: only `next` matters (customers, audit records). */
export const pageLinksSchema = z.object({ next: linkSchema.nullish() }).nullish();

export const customerPageSchema = z.object({
  items: z.array(customerSchema),
  links: pageLinksSchema,
});

export type CustomerPage = z.infer<typeof customerPageSchema>;
export type NextLink = z.infer<typeof linkSchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
});

/** Validates `value`; the error names the fields that failed, never their values. */
export function readWire<T extends z.ZodType>(schema: T, value: unknown, service: Service, path: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(body)'))].slice(0, 5);
  throw new MalformedResponseError(service, path, `unexpected shape at ${fields.join(', ')}`);
}

/** The link exactly as returned, but only when it is an https URL we could show a customer. */
export function readRelationshipRequestUrl(value: unknown, path: string): string {
  const { url } = readWire(relationshipRequestSchema, value, 'partner-center', path);
  if (!isHttpsUrl(url)) throw new MalformedResponseError('partner-center', path, 'the link is not an https URL');
  return url;
}

function isHttpsUrl(value: string): boolean {
  if (/\s/.test(value) || !URL.canParse(value)) return false;
  return new URL(value).protocol === 'https:';
}

export function toIndirectProviders(value: unknown, path: string): IndirectProvider[] {
  return readWire(relationshipsSchema, value, 'partner-center', path).items.map((item) => ({
    id: item.id,
    name: item.name,
    ...(item.mpnId ? { mpnId: item.mpnId } : {}),
    ...(item.state ? { state: item.state } : {}),
  }));
}

export function toCustomer(item: z.infer<typeof customerSchema>): Customer {
  return {
    id: item.companyProfile.tenantId ?? item.id,
    companyName: item.companyProfile.companyName,
    domain: item.companyProfile.domain,
    relationshipToPartner: item.relationshipToPartner,
    ...(item.associatedPartnerId ? { associatedPartnerId: item.associatedPartnerId } : {}),
  };
}

export function readCustomer(value: unknown, path: string): Customer {
  return toCustomer(readWire(customerSchema, value, 'partner-center', path));
}
