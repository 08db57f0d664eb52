/* optional: GPS from the phone fills the two fields; the form works without it */
(function(){var f=document.getElementById('lot-form'),b=document.getElementById('lay-vi-tri'),t=document.getElementById('vi-tri-tt');
if(!f||!navigator.geolocation)return;b.parentNode.hidden=false;
b.addEventListener('click',function(){t.textContent='Đang lấy vị trí…';navigator.geolocation.getCurrentPosition(function(p){
f.elements.latitude.value=p.coords.latitude.toFixed(5);f.elements.longitude.value=p.coords.longitude.toFixed(5);
t.textContent='Đã lấy vị trí (±'+Math.round(p.coords.accuracy)+' m).'},function(e){t.textContent='Không lấy được vị trí: bật định vị rồi thử lại, hoặc để trống.'},
{enableHighAccuracy:true,timeout:20000,maximumAge:60000})})})();
