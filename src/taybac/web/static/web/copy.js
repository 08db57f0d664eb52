/* optional: "Chép" buttons beside the transfer details; the text stays selectable without it */
(function(){if(!navigator.clipboard)return;document.querySelectorAll('button[data-copy]').forEach(function(b){
var t=document.getElementById(b.getAttribute('data-copy'));if(!t)return;b.hidden=false;var label=b.textContent;
b.addEventListener('click',function(){navigator.clipboard.writeText(t.getAttribute('data-value')||t.textContent.trim()).then(function(){
b.textContent='Đã chép';setTimeout(function(){b.textContent=label},1500)},function(){b.textContent='Không chép được'})})})})();
