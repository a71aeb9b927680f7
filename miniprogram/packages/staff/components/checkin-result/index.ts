/**
 * The answer to a scan, big enough to read at arm's length at the door: green with the name on
 * success, red with the reason for a forged, reused or foreign code, orange when the network
 * failed (then the same code can be sent again).
 */
Component({
  properties: {
    /** OutcomeVM (lib/checkin.ts), or null for nothing to show. */
    outcome: { type: Object, value: null },
    busy: { type: Boolean, value: false },
  },
  methods: {
    onScan(): void {
      this.triggerEvent('scan');
    },
    onResend(): void {
      this.triggerEvent('resend');
    },
  },
});
