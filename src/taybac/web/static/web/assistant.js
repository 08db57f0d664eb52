/* The assistant's chat panel (docs/assistant.md, "Chat widget"), loaded by assistant-open.js on the first tap of
   "Hỏi trợ lý". The panel is the /tro-ly/ form itself, fetched from /tro-ly/khung/; a message goes by fetch and the
   answer (JSON) adds the new messages; while the panel is open, /tro-ly/tin-nhan/ is asked every 5 s for what a
   person of the shop wrote. Everything works without this file, on the /tro-ly/ page. */
(function(){
var panel=null,log=null,timer=null,last=0,busy=false,PATH=/(\/(?:san-pham|gian-hang|tra-cuu)\/[\w\-\/?=]*[\w\/])/;
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function link(url,text){var a=el('a',null,text);a.href=url;return a}
function body(text){var s=el('span','as-t');text.split(PATH).forEach(function(part,i){s.appendChild(i%2?link(part,part):document.createTextNode(part))});return s}
function add(m){
  if(m.id<=last&&log.querySelector('[data-id="'+m.id+'"]'))return;
  var fresh=log.querySelectorAll('li:not([data-id])');for(var i=0;i<fresh.length;i++)fresh[i].remove();
  var li=el('li','as-'+m.role);li.setAttribute('data-id',m.id);li.appendChild(el('b',null,m.who));li.appendChild(body(m.text));
  log.appendChild(li);if(m.id>last)last=m.id;li.scrollIntoView({block:'nearest'})}
function person(on){var p=document.getElementById('as-person');
  if(on&&!p){p=el('p','as-note','Người bán đang trả lời bạn tại đây.');p.id='as-person';log.parentNode.insertBefore(p,log)}
  else if(!on&&p)p.remove()}
function error(text){var p=panel.querySelector('.as-err');if(!p){p=el('p','as-err');p.setAttribute('role','alert');
  var f=document.getElementById('gui');f.parentNode.insertBefore(p,f)}p.textContent=text;p.hidden=!text}
function lastAnswer(j){var box=document.getElementById('as-last');box.textContent='';
  if(j.products&&j.products.length){var p=el('p','as-links','Xem: ');j.products.forEach(function(x,i){if(i)p.appendChild(document.createTextNode(' · '));p.appendChild(link(x.url,x.name))});box.appendChild(p)}
  if(j.order){var o=el('p','as-order','Đơn ');o.appendChild(el('b',null,j.order.code));o.appendChild(document.createTextNode(': '+(j.status_label||j.order.status)+' · '));
    o.appendChild(link('/tra-cuu/?ma='+encodeURIComponent(j.order.code),'Tra cứu đơn'));box.appendChild(o)}}
function post(form,extra){var data=new FormData(form);for(var k in extra)data.append(k,extra[k]);
  return fetch(form.action,{method:'POST',body:data,credentials:'same-origin',headers:{'Accept':'application/json'}})
    .then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error(j.error||'Lỗi, thử lại.');return j})})}
function send(e){e.preventDefault();var form=e.target,box=form.querySelector('textarea'),button=form.querySelector('button');
  if(busy||!box.value.trim())return;busy=true;button.disabled=true;
  post(form,{sau:last}).then(function(j){error('');box.value='';j.messages.forEach(add);lastAnswer(j);person(j.taken_over);
    var f=document.getElementById('as-forget');if(f)f.hidden=false})
  .catch(function(x){error(x.message==='Failed to fetch'?'Mất kết nối, gửi lại nhé.':x.message)})
  .then(function(){busy=false;button.disabled=false;box.focus()})}
function forget(e){e.preventDefault();var form=e.target;
  post(form,{}).then(function(j){log.textContent='';last=0;form.hidden=true;document.getElementById('as-last').textContent='';person(false);
    log.appendChild(el('li','as-assistant',j.message))}).catch(function(x){error(x.message)})}
function poll(){if(document.hidden||busy)return;
  fetch('/tro-ly/tin-nhan/?sau='+last,{credentials:'same-origin',headers:{'Accept':'application/json'}})
  .then(function(r){return r.ok?r.json():null}).then(function(j){if(j){j.messages.forEach(add);person(j.taken_over)}}).catch(function(){})}
function show(){panel.hidden=false;clearInterval(timer);timer=setInterval(poll,5000);var t=panel.querySelector('textarea');if(t)t.focus()}
function close(){panel.hidden=true;clearInterval(timer);timer=null}
function open(){if(panel){show();return}
  fetch('/tro-ly/khung/',{credentials:'same-origin'}).then(function(r){if(!r.ok)throw r;return r.text()}).then(function(html){
    var box=el('div');box.innerHTML=html;panel=box.firstElementChild;document.body.appendChild(panel);
    log=document.getElementById('as-log');var ids=log.querySelectorAll('[data-id]');
    for(var i=0;i<ids.length;i++)last=Math.max(last,+ids[i].getAttribute('data-id'));
    document.getElementById('gui').addEventListener('submit',send);
    var f=document.getElementById('as-forget');if(f)f.addEventListener('submit',forget);
    document.getElementById('as-close').addEventListener('click',close);
    document.addEventListener('keydown',function(e){if(e.key==='Escape'&&panel&&!panel.hidden)close()});
    if(log.lastElementChild)log.lastElementChild.scrollIntoView({block:'nearest'});show()})
  .catch(function(){location.href='/tro-ly/'})}
window.tbAssistant={open:open,close:close};
})();
