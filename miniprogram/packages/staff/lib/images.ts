/**
 * Announcement images for the upload queue (services/uploads.ts): the server issues each path
 * (`announcements.imageTicket`) and reads the file back (`announcements.imageConfirm`). A new
 * announcement has no id until its first ticket reserves one: later tickets wait for that answer,
 * so every image of the announcement lands under the same id.
 */
import { api } from '../../../services/client';
import type { UploadBackend } from '../../../services/uploads';

export function announcementImages(initialId: string, onId: (id: string) => void): UploadBackend {
  let id = initialId;
  let reserving: Promise<void> | null = null;
  return {
    async ticket(file) {
      if (file.ext !== 'jpg' && file.ext !== 'png') return { ok: false, code: 'FILE_REJECTED', message: '图片请使用 JPG 或 PNG 格式' };
      while (!id && reserving) await reserving;
      let release: (() => void) | null = null;
      if (!id) reserving = new Promise<void>((resolve) => (release = resolve));
      try {
        const r = await api('announcements.imageTicket', { ...(id ? { announcementId: id } : {}), ext: file.ext, size: file.size });
        if (!r.ok) return r;
        if (!id) {
          id = r.data.announcementId;
          onId(id);
        }
        return { ok: true, data: { ticketId: r.data.ticketId, cloudPath: r.data.cloudPath } };
      } finally {
        // This call reserved: the ones waiting go on (with the id, or reserving in their turn).
        if (release) {
          reserving = null;
          (release as () => void)();
        }
      }
    },
    async confirm(ticketId, fileID) {
      const r = await api('announcements.imageConfirm', { ticketId, fileID });
      // The announcement keeps the file ID itself.
      return r.ok ? { ok: true, data: { uploadId: r.data.fileID, url: r.data.url } } : r;
    },
  };
}
