/**
 * What a staff page shows to anyone else: who it is for and whom to ask. The server refuses the
 * page's actions anyway; this only says so plainly instead of a row of failing buttons.
 */
Component({
  methods: {
    toHome(): void {
      wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
