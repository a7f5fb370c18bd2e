/* Server-sent events read from a fetch() response (EventSource cannot POST): calls onEvent(name, payload)
   for each "event: …\ndata: {json}" block as it arrives. Shared by the draft box and the plan-from-brief page. */
window.cfReadEvents = async function (response, onEvent) {
  var reader = response.body.getReader();
  var decoder = new TextDecoder();
  var buffer = "";
  for (;;) {
    var part = await reader.read();
    if (part.done) return;
    buffer += decoder.decode(part.value, { stream: true });
    var blocks = buffer.split("\n\n");
    buffer = blocks.pop();
    blocks.forEach(function (block) {
      var name = (block.match(/^event: (.*)$/m) || [])[1];
      var data = (block.match(/^data: (.*)$/m) || [])[1];
      if (name && data) onEvent(name, JSON.parse(data));
    });
  }
};
