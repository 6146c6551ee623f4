// Counts one view of the article (the server dedupes and filters bots).
// Progressive: without JavaScript or sendBeacon nothing happens and the page is unchanged.
(function () {
  var story = document.querySelector("[data-view-beacon]");
  if (story && navigator.sendBeacon) {
    navigator.sendBeacon(story.getAttribute("data-view-beacon"));
  }
})();
