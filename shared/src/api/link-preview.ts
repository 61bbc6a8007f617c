// Link previews: `GET /api/link-preview?url=` asks the server to read a web page's title
// and description (Open Graph tags, else the page's own) so a message with a link can show
// a card. The server fetches the page itself, never an address inside its own network
// unless the operator allows it (LINK_PREVIEWS), and keeps answers for a while. Text only:
// no images, so a reader's browser never contacts the linked site.
import { z } from 'zod';

export const MAX_PREVIEW_URL = 2048;

export const linkPreviewQuerySchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(MAX_PREVIEW_URL),
});

export const linkPreviewSchema = z.object({
  /** the address asked for (a redirect's target is not shown) */
  url: z.string(),
  /** the site's name, or the page's host name */
  siteName: z.string().max(100),
  title: z.string().max(200).optional(),
  description: z.string().max(300).optional(),
});
export type LinkPreview = z.infer<typeof linkPreviewSchema>;

export const linkPreviewResponseSchema = z.object({ preview: linkPreviewSchema });
