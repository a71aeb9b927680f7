/**
 * The loading, empty and error faces of a list, the same on every page: a worker learns once what
 * "加载失败" looks like and where to tap to try again.
 */
Component({
  properties: {
    /** loading | empty | error */
    status: { type: String, value: 'loading' },
    text: { type: String, value: '' },
    /** The button under an empty or error state; none when blank. */
    action: { type: String, value: '' },
  },
  methods: {
    onAction(): void {
      this.triggerEvent('action');
    },
  },
});
