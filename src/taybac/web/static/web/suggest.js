/* optional: suggestions as the buyer types; the form works without it */
(function(){var i=document.querySelector('.search input'),d=document.getElementById('goi-y'),t;if(!i||!window.fetch)return;
i.addEventListener('input',function(){clearTimeout(t);var q=i.value;if(q.length<2)return;t=setTimeout(function(){
fetch('/tim-kiem/goi-y?q='+encodeURIComponent(q)).then(function(r){return r.ok?r.json():{items:[]}}).then(function(j){
d.innerHTML='';j.items.forEach(function(n){var o=document.createElement('option');o.value=n;d.appendChild(o)})}).catch(function(){})},250)})})();
